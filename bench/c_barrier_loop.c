/* The plain C baseline for litmus mode: N children forked once; every iteration
 * runs between two barriers in shared memory (litmus7's way): the parent resets
 * the total, releases the children, each does load / add (1, 2, 4, 8, 16, ...) /
 * store, and the parent records the total once all are back.
 * Usage: c_barrier_loop [iterations] [children]
 * Prints: iterations/s, runs with a lost update, distinct totals observed. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct shared {
    volatile int total;
    volatile long go;    /* iteration the children may run */
    volatile long done;  /* children finished in this iteration */
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
    long iterations = argc > 1 ? atol(argv[1]) : 100000;
    int children = argc > 2 ? atoi(argv[2]) : 5;
    struct shared* sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    for (int c = 0; c < children; ++c) {
        if (fork() == 0) {
            int add = 1 << c;
            for (long it = 1; it <= iterations; ++it) {
                while (sh->go < it) sched_yield();
                int v = sh->total;
                sh->total = v + add;
                __atomic_add_fetch(&sh->done, 1, __ATOMIC_SEQ_CST);
            }
            _exit(0);
        }
    }
    int expected = (1 << children) - 1;
    char* seen = calloc((size_t)expected + 1, 1);
    long lost = 0, distinct = 0;
    double t0 = now();
    for (long it = 1; it <= iterations; ++it) {
        sh->total = 0;
        sh->done = 0;
        __atomic_store_n(&sh->go, it, __ATOMIC_SEQ_CST);
        while (__atomic_load_n(&sh->done, __ATOMIC_SEQ_CST) < children) sched_yield();
        int t = sh->total;
        if (t != expected) ++lost;
        if (t >= 0 && t <= expected && !seen[t]) seen[t] = 1, ++distinct;
    }
    double s = now() - t0;
    for (int c = 0; c < children; ++c) wait(NULL);
    printf("c_barrier_loop children=%d iterations=%ld seconds=%.3f iterations_per_s=%.0f lost_update_runs=%ld (%.2f%%) distinct_totals=%ld\n",
           children, iterations, s, iterations / s, lost, 100.0 * lost / iterations, distinct);
    return 0;
}
