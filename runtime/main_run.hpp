#pragma once
// One run as the supervising process sees it: main interpreted here, through a
// non-blocking OsWorld, while the watchdog looks over the children; then the
// outcome collected from the arena, the folder, the prints and the event log.
// How children are made and waited for is the executor's: a fork per start
// (ForkRun) or a reused worker (LitmusRun).
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "model/semantics.hpp"
#include "runtime/child_process.hpp"
#include "runtime/os_world.hpp"
#include "runtime/process_driver.hpp"
#include "runtime/run_resources.hpp"
#include "runtime/run_result.hpp"
#include "runtime/supervision.hpp"

namespace critsec::runtime {

class MainRun : public ProcessHost {
public:
    RunResult execute();
    void sleep(double seconds) override;

protected:
    MainRun(RunResources& res, uint64_t seed);

    // Waits at most `wait` seconds for something to happen (a print, a child's
    // end), then lets the watchdog look. False once the run must stop.
    virtual bool supervise(double wait) = 0;
    virtual bool any_child_running() const = 0;
    virtual void kill_children() = 0;
    // Why a started child is neither Finished nor Failed, e.g. "died (killed by SIGSEGV)".
    virtual std::string child_end(int instance) const = 0;
    // Lets the children started since main's last other step go. A run of starts is
    // released together, when main is about to do anything else (litmus7 starts its
    // threads together too); with fork, a started child is already on its way.
    virtual void release_started() {}

    // A child's exit code from its slot, or from its reaped process when it ended by a
    // signal it could not defer (then written into its slot); nothing while it runs.
    std::optional<int64_t> exit_code_of_child(int instance, ChildProcess& process);
    void signal_child(int instance, int signal, ChildProcess& process);
    void join_given_up() override { main_joins_ = -1; }

    // For supervise(): main cannot go on now.
    bool main_waiting() const;
    // The watchdog's look, given the living children.
    bool check(const std::vector<int>& running, const std::vector<int>& pids);
    void set_name(int instance, const std::string& label) { watch_.set_name(instance, label); }
    bool stopped() const { return watch_.stopped(); }
    // A deadlock is being confirmed: look again within 2 ms.
    double wait_at_most(double wait) const { return watch_.suspect() ? std::min(wait, 0.002) : wait; }

    RunResources& res_;
    uint64_t seed_;
    std::vector<PrintRecord> child_prints_;
    int main_joins_ = -1;  // the instance main is joining while blocked

private:
    bool before_main_step();
    RunResult collect();
    // main's draws: the options' fixed inputs first, else `base`; each one recorded.
    model::DrawSource main_draws(model::DrawSource base);
    std::vector<int64_t> drawn_;
    std::vector<PrintRecord> main_prints_;
    std::set<int> signalled_;  // children main sent a signal (terminate(), kill(), a daemon's exit)
    OsWorld main_world_;
    model::ProcessState main_;
    Watchdog watch_;
    unsigned keep_going_calls_ = 0;
};

model::DrawSource seeded_draws(uint64_t run_seed);
// The draws of a run: the replayed schedule's when there is one, else seeded.
model::DrawSource run_draws(const RunOptions& options, uint64_t run_seed);

// The body of a child process (forked or reused): runs `state` to its end with a
// blocking OsWorld. `holds_locks` tells whether it ended holding a lock.
// The process must have been forked with SIGTERM deferred (ChildSignals).
DriveEnd run_child_process(RunResources& res, uint64_t run_seed, model::ProcessState state, bool* holds_locks = nullptr);

// Limits a child process to the spec's caps (file size) and to its memory
// (RunOptions::max_memory_mb as RLIMIT_AS; not under AddressSanitizer).
void limit_child_process(const RunOptions& options);

}  // namespace critsec::runtime
