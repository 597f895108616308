/* Dekker's lock for two processes: the Promela twin of specs/coursework/dekker.crit.
   Same atomicity: each shared read or write is one step (each guard reads one shared
   variable once); the critical section `total += x` is a load and a store; main joins
   both workers (done == 2), then asserts the total. Ghosts (see README.md): done, incs. */
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
  do
  :: flag[other] == 1 ->
     if
     :: turn != me ->
        flag[me] = 0;
        do
        :: turn != me -> skip
        :: else -> break
        od;
        flag[me] = 1
     :: else -> skip
     fi
  :: else -> break
  od;
progress:
  atomic { incs++; assert(incs == 1); t = total };
  atomic { total = t + x; incs-- };
  turn = other;
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
