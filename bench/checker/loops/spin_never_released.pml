/* A spin-wait nobody releases: the Promela twin of specs/coursework/spin_never_released.crit.
   The waiter re-reads `ready` (one step per read) forever; main joins it (done == 1). No
   deadlock (the waiter is always enabled), but a fair non-progress cycle (-DNP, pan -l -f) and
   an accepting cycle of the claim `<> finished` (-DLTL, pan -a -f). Ghosts (see README.md): done. */
byte ready = 0;
byte done = 0;
bool finished = false;

proctype Waiter() {
  do
  :: ready == 0 -> skip
  :: else -> break
  od;
progress:
  done++
}

init {
  run Waiter();
  (done == 1);
progress_done:
  finished = true
}

#ifdef LTL
ltl finishes { <> finished }
#endif
