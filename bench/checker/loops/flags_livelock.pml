/* Both raise their flags, then each waits while the other's is up: the Promela twin of
   specs/coursework/flags_livelock.crit. Safe (mutual exclusion, the total, no deadlock) but
   when both flags go up before either looks, both spin forever: a fair non-progress cycle
   (-DNP, pan -l -f) and an accepting cycle of the claim `<> finished` (-DLTL, pan -a -f).
   Same atomicity as the spec: each shared read or write one step, the critical section a
   load and a store; main joins both (done == 2). Ghosts (see README.md): done, incs. */
byte flag[2];
int total = 0;
byte incs = 0;
byte done = 0;
bool finished = false;

proctype Worker(byte me; int x) {
  byte other = 1 - me;
  int t;
  flag[me] = 1;
  do
  :: flag[other] == 1 -> skip
  :: else -> break
  od;
progress:
  atomic { incs++; assert(incs == 1); t = total };
  atomic { total = t + x; incs-- };
  atomic { flag[me] = 0; done++ }
}

init {
  run Worker(0, 1);
  run Worker(1, 2);
  (done == 2);
  assert(total == 3);
progress_done:
  finished = true
}

#ifdef LTL
ltl finishes { <> finished }
#endif
