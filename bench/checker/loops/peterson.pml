/* Peterson's lock for two processes: the Promela twin of specs/coursework/peterson.crit.
   Same atomicity: each shared read or write is one step (a guard reads one shared variable, so
   the `and` of the spin condition is two reads, turn read only while flag[other] is up); the
   critical section `total += x` is a load and a store; main joins both
   workers (done == 2), then asserts the total. Ghosts (see README.md): done, incs. */
byte flag[2];
byte turn = 0;
int total = 0;
byte incs = 0;
byte done = 0;
bool finished = false;

proctype Worker(byte me; int x) {
  byte other = 1 - me;
  int t;
  flag[me] = 1;
  turn = other;
  do
  :: flag[other] == 1 ->
     if
     :: turn == other
     :: else -> break
     fi
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
