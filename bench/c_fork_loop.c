/* The plain C baseline for `critsec run` (fresh processes every run): each
 * iteration forks N children that each do load / add / store on an int in a
 * MAP_SHARED | MAP_ANONYMOUS mapping, then waits for them all.
 * Usage: c_fork_loop [iterations] [children]   Prints: runs/s and lost updates. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
    long iterations = argc > 1 ? atol(argv[1]) : 2000;
    int children = argc > 2 ? atoi(argv[2]) : 5;
    volatile int* total = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    long lost = 0;
    double t0 = now();
    for (long it = 0; it < iterations; ++it) {
        *total = 0;
        for (int c = 0; c < children; ++c) {
            pid_t pid = fork();
            if (pid == 0) {
                int v = *total;      /* load */
                *total = v + c + 1;  /* store */
                _exit(0);
            }
        }
        for (int c = 0; c < children; ++c) wait(NULL);
        if (*total != children * (children + 1) / 2) ++lost;
    }
    double s = now() - t0;
    printf("c_fork_loop children=%d iterations=%ld seconds=%.3f runs_per_s=%.0f lost_update_runs=%ld (%.2f%%)\n", children,
           iterations, s, iterations / s, lost, 100.0 * lost / iterations);
    return 0;
}
