#pragma once
// Jobs run in forked children, a few at once, each with a wall-clock limit:
// the checker's budget stops every engine by itself, but a Z3 phase that does
// not look at its cancel flag, or a bug, must not stall a class's grading. A
// child past its limit is killed (its whole process group) and reaped; so is
// every child still running when the pool is left, by an exception too.
//
// The parent stays single-threaded (a poll loop over the children's pipes), so
// fork() never copies a thread's held lock into a child.
#include <cstddef>
#include <functional>
#include <string>

namespace critsec::grading {

struct ChildEnd {
    enum class How { Exited, TimedOut, Signalled, NotStarted };
    How how = How::NotStarted;
    int code = 0;        // Exited: the exit code; Signalled: the signal
    std::string output;  // what the child wrote to its pipe (when `work` threw: what() of the exception, exit code 3)
    std::string why;     // NotStarted: what the system refused
    double seconds = 0;
};

// Runs `work(i)` for every i < count in a child of its own, at most `parallel`
// at once; a child's result is the string `work` returns, handed over a pipe.
// `done(i, end)` is called in the parent as each child ends, in the order they end.
void run_in_children(size_t count, int parallel, double limit_seconds, const std::function<std::string(size_t)>& work,
                     const std::function<void(size_t, ChildEnd)>& done);

}  // namespace critsec::grading
