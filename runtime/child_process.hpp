#pragma once
// A forked child, owned: killed and reaped when its owner lets go of it, so a
// run can never leave a zombie or an orphan behind. Children join a given
// process group, die with their parent (PR_SET_PDEATHSIG) and are watched
// through a pidfd, so the supervisor can poll for their end.
#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "runtime/unique_fd.hpp"

namespace critsec::runtime {

// How a forked child starts with respect to signals.
struct ChildSignals {
    const std::vector<int>* to_reset = nullptr;  // back to their default; null: every signal
    bool sigterm_deferred = false;              // SIGTERM blocked from the start (termination.hpp)
};

class ChildProcess {
public:
    ChildProcess() = default;
    // Forks. The child joins `group` (0: a new group of its own), sets its signals up,
    // then runs `body`, which must end with _exit; this call never returns in the child.
    static ChildProcess fork_into(pid_t group, const std::function<void()>& body, ChildSignals signals = {});

    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&& other) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess();

    pid_t pid() const { return pid_; }
    int pidfd() const { return pidfd_.get(); }
    bool running() const { return pid_ > 0 && !reaped_; }
    int wait_status() const { return status_; }  // valid once reaped

    bool try_reap();  // true once reaped (WNOHANG)
    // Whether it has ended, waiting at most `seconds` (through its pidfd; not reaped).
    bool wait_for_exit(double seconds) const;
    void reap();      // blocks until it ends
    void kill(int signal_number = 9);

private:
    void finish();
    pid_t pid_ = -1;
    UniqueFd pidfd_;
    bool reaped_ = false;
    int status_ = 0;
};

// How a reaped child ended, for messages: "exit 1", "killed by SIGSEGV".
std::string describe_wait_status(int status);

// The process group of a run: an idle anchor process leads it, so children can
// join it whenever they are started; killing the group kills the whole run.
class ProcessGroup {
public:
    ProcessGroup() = default;
    pid_t id();       // starts the anchor when there is none
    void kill_all();  // SIGKILL to the group, the anchor is reaped (the members by their owners)

private:
    ChildProcess anchor_;
};

// The signals this process handles or ignores, for fork_into's `to_reset`: read
// once for a series of forks, it spares each child a system call per signal.
std::vector<int> signals_not_default();

// The process's own signal setup for a forked child of a run: the signals in
// `to_reset` (null: all) back to their default, none blocked but SIGTERM if deferred.
void reset_child_signals(const ChildSignals& signals = {});

}  // namespace critsec::runtime
