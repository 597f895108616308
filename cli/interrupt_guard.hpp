#pragma once
// Ctrl-C (and, where asked, SIGTERM) during a command that forks: the signal
// sets a flag instead of killing critsec on the spot, so that the supervisor
// stops the run itself (its children killed and reaped, its folder removed) and
// the command reports what it has. The handler is installed without SA_RESTART,
// so that waits return early, for as long as the guard lives.
//
// In cli/, not runtime/: which signals a program catches is the program's
// choice. The runtime only polls RunOptions::interrupted, which a test fills
// with a plain function.
#include <signal.h>

#include <initializer_list>
#include <vector>

namespace critsec::cli {

class InterruptGuard {
public:
    explicit InterruptGuard(std::initializer_list<int> signals = {SIGINT, SIGTERM});
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    // Whether one of the signals arrived since the latest guard was made.
    static bool raised();

private:
    struct Saved {
        int signal;
        struct sigaction action;
    };
    std::vector<Saved> saved_;
};

}  // namespace critsec::cli
