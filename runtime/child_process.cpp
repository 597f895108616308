#include "runtime/child_process.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace critsec::runtime {

namespace {
int open_pidfd(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

bool can_be_handled(int s) { return s != SIGKILL && s != SIGSTOP; }
}  // namespace

std::vector<int> signals_not_default() {
    std::vector<int> out;
    for (int s = 1; s < NSIG; ++s) {
        struct sigaction now {};
        if (can_be_handled(s) && ::sigaction(s, nullptr, &now) == 0 && now.sa_handler != SIG_DFL) out.push_back(s);
    }
    return out;
}

void reset_child_signals(const ChildSignals& signals) {
    const std::vector<int>* to_reset = signals.to_reset;
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    // Every handler of the parent (a test framework's SIGSEGV reporter, critsec's
    // Ctrl-C flag) back to the default: a crash in a child must look like one.
    if (to_reset) {
        for (int s : *to_reset) ::sigaction(s, &dfl, nullptr);
    } else {
        for (int s = 1; s < NSIG; ++s)
            if (can_be_handled(s)) ::sigaction(s, &dfl, nullptr);
    }
    // A SIGTERM sent at once (main's terminate() right after start()) must find it
    // blocked already, or it would act by default before the child's first step.
    sigset_t blocked;
    sigemptyset(&blocked);
    if (signals.sigterm_deferred) sigaddset(&blocked, SIGTERM);
    ::sigprocmask(SIG_SETMASK, &blocked, nullptr);
}

ChildProcess ChildProcess::fork_into(pid_t group, const std::function<void()>& body, ChildSignals signals) {
    pid_t parent = ::getpid();
    // Every signal blocked across fork: one sent to the child before it has reset the
    // parent's handlers (the supervisor signals children it has just forked) stays
    // pending until reset_child_signals() unblocks it, and then acts by default.
    sigset_t all, saved;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &saved);
    pid_t pid = ::fork();
    int fork_errno = errno;
    if (pid != 0) ::pthread_sigmask(SIG_SETMASK, &saved, nullptr);
    if (pid < 0) throw std::system_error(fork_errno, std::generic_category(), "fork");
    if (pid == 0) {
        ::setpgid(0, group);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);  // the parent died before PDEATHSIG was armed
        reset_child_signals(signals);
        try {
            body();
        } catch (...) {}
        ::_exit(126);
    }
    ::setpgid(pid, group == 0 ? pid : group);  // both sides, so neither order races
    ChildProcess child;
    child.pid_ = pid;
    child.pidfd_.reset(open_pidfd(pid));
    return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::move(other.pidfd_)),
      reaped_(std::exchange(other.reaped_, false)),
      status_(other.status_) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
    if (this != &other) {
        finish();
        pid_ = std::exchange(other.pid_, -1);
        pidfd_ = std::move(other.pidfd_);
        reaped_ = std::exchange(other.reaped_, false);
        status_ = other.status_;
    }
    return *this;
}

ChildProcess::~ChildProcess() { finish(); }

void ChildProcess::finish() {
    if (running()) {
        kill();
        reap();
    }
    pidfd_.reset();
}

bool ChildProcess::try_reap() {
    if (!running()) return true;
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(pid_, &status, WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
        reaped_ = true;
        status_ = r == pid_ ? status : 0;
        pidfd_.reset();
        return true;
    }
    return false;
}

void ChildProcess::reap() {
    if (!running()) return;
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(pid_, &status, 0);
    } while (r < 0 && errno == EINTR);
    reaped_ = true;
    status_ = r == pid_ ? status : 0;
    pidfd_.reset();
}

bool ChildProcess::wait_for_exit(double seconds) const {
    if (!running()) return true;
    if (pidfd_.get() < 0) return false;
    pollfd fd{pidfd_.get(), POLLIN, 0};
    int r;
    do {
        r = ::poll(&fd, 1, static_cast<int>(seconds * 1000));
    } while (r < 0 && errno == EINTR);
    return r > 0;
}

void ChildProcess::kill(int signal_number) {
    if (running()) ::kill(pid_, signal_number);
}

std::string describe_wait_status(int status) {
    if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        const char* name = ::sigabbrev_np(WTERMSIG(status));
        return std::string("killed by ") + (name ? std::string("SIG") + name : "signal " + std::to_string(WTERMSIG(status)));
    }
    return "status " + std::to_string(status);
}

pid_t ProcessGroup::id() {
    if (!anchor_.running()) {
        anchor_ = ChildProcess::fork_into(0, [] {
            for (;;) ::pause();
        });
    }
    return anchor_.pid();
}

void ProcessGroup::kill_all() {
    if (!anchor_.running()) return;
    ::kill(-anchor_.pid(), SIGKILL);
    anchor_.reap();
}

}  // namespace critsec::runtime
