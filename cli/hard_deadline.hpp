#pragma once
// The last resort behind `--timeout`. Every engine stops at the budget by itself
// (checker/budget.hpp), and Z3 is given what is left as its own timeout; but on
// some encodings Z3 goes on for minutes in a phase that does not look at its
// cancel flag (`check --engine z3 --timeout 10` on a child that releases a
// semaphore 5,000 times: 86 s). A thread of Z3's cannot be stopped from outside,
// so past the budget and a grace period this guard ends the whole command: it
// says UNKNOWN and why on stderr and exits with exit_code::inconclusive.
//
// Only for commands that start no process and leave no file (check, outcomes):
// ending them at once leaves nothing behind.
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace critsec::cli {

// The grace after `seconds` before the guard fires: long enough that an engine
// which honours the budget always reports first.
double hard_deadline_grace(double seconds);

class HardDeadline {
public:
    // `command` names what is cut ("check spec.crit") and `stuck` what kept
    // running ("the Z3 solver", "the explorer"), for the message.
    HardDeadline(double seconds, const std::string& command, const std::string& stuck);
    ~HardDeadline();
    HardDeadline(const HardDeadline&) = delete;
    HardDeadline& operator=(const HardDeadline&) = delete;

private:
    std::mutex mutex_;
    std::condition_variable finished_;
    bool done_ = false;
    std::thread watch_;
};

}  // namespace critsec::cli
