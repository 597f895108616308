#include "runtime/termination.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>

namespace critsec::runtime {
namespace {

// How long a blocked child waits between two looks for SIGTERM: the lock and the
// semaphore have no wait that a blocked signal ends.
constexpr double kLookSeconds = 0.01;

sigset_t only_sigterm() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    return set;
}

timespec to_timespec(double seconds) {
    timespec ts;
    ts.tv_sec = static_cast<time_t>(seconds);
    ts.tv_nsec = static_cast<long>((seconds - std::floor(seconds)) * 1e9);
    return ts;
}

}  // namespace

bool termination_pending() {
    sigset_t pending;
    sigemptyset(&pending);
    ::sigpending(&pending);
    return sigismember(&pending, SIGTERM) == 1;
}

void end_by_termination() {
    ::signal(SIGTERM, SIG_DFL);
    ::raise(SIGTERM);  // pending twice is pending once: taken from sigtimedwait or not, it is there now
    sigset_t set = only_sigterm();
    ::pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    for (;;) ::pause();  // not reached: the signal acts when unblocked
}

void end_by_kill() {
    ::kill(::getpid(), SIGKILL);
    for (;;) ::pause();  // not reached: SIGKILL cannot wait
}

void sleep_unless_terminated(double seconds) {
    if (!(seconds > 0)) return;
    sigset_t set = only_sigterm();
    timespec left = to_timespec(seconds);
    // sigtimedwait takes the signal if it comes: the caller ends by it.
    for (;;) {
        timespec start{};
        ::clock_gettime(CLOCK_MONOTONIC, &start);
        int got = ::sigtimedwait(&set, nullptr, &left);
        if (got == SIGTERM) throw Terminated{};
        if (got < 0 && errno == EAGAIN) return;
        timespec now{};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        double spent = static_cast<double>(now.tv_sec - start.tv_sec) + static_cast<double>(now.tv_nsec - start.tv_nsec) / 1e9;
        double rest = static_cast<double>(left.tv_sec) + static_cast<double>(left.tv_nsec) / 1e9 - spent;
        if (rest <= 0) return;
        left = to_timespec(rest);
    }
}

void wait_for_termination() {
    sigset_t set = only_sigterm();
    for (;;)
        if (::sigwaitinfo(&set, nullptr) == SIGTERM) throw Terminated{};
}

AcquireResult acquire_lock_unless_terminated(SharedLock& lock, int instance) {
    for (;;) {
        AcquireResult r = acquire_lock_within(lock, instance, kLookSeconds);
        if (r != AcquireResult::WouldBlock) return r;
        if (termination_pending()) throw Terminated{};
    }
}

void acquire_semaphore_unless_terminated(SharedSemaphore& sem) {
    while (!acquire_semaphore_within(sem, kLookSeconds))
        if (termination_pending()) throw Terminated{};
}

}  // namespace critsec::runtime
