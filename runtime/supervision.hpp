#pragma once
// The watchdog of one run: decides when a run must be stopped, and says why.
// - deadlock: main cannot go on, and every living child is blocked on a lock or
//   semaphore (asleep in the kernel) with no step taken across two looks at least
//   2 ms apart; or no step at all for the no-progress timeout while nobody sleeps;
// - livelock: steps go on, but every process that could go on spins, as it has
//   proven itself (spin_watch.hpp), and the others are blocked, with nothing
//   changed for the livelock window: such a run would spin forever;
// - timeout: the run is older than its cap;
// - interrupted: Ctrl-C.
#include <string>
#include <vector>

#include "model/program.hpp"
#include "runtime/arena.hpp"
#include "runtime/run_options.hpp"

namespace critsec::runtime {

enum class Stop { None, Deadlock, Livelock, Timeout, Interrupted };

class Watchdog {
public:
    Watchdog(const model::Program& program, const Arena& arena, const RunOptions& options);

    void set_name(int instance, const std::string& name) { names_.at(instance) = name; }
    // `running`: the living children, `pids` theirs; `main_joins`: whom main joins, or -1.
    // False once the run must stop.
    bool check(bool main_waiting, const std::vector<int>& running, const std::vector<int>& pids, int main_joins);

    bool suspect() const { return candidate_; }  // a deadlock being confirmed: look again soon
    bool stopped() const { return stop_ != Stop::None; }
    Stop stop() const { return stop_; }
    const std::vector<std::string>& reasons() const { return reasons_; }
    // The processes found spinning when the run was stopped as a livelock, by instance.
    const std::vector<int>& spinners() const { return spinners_; }

private:
    void halt(Stop why, std::string reason, bool main_waiting, const std::vector<int>& running, int main_joins);
    std::string describe_wait(int instance) const;
    // True once the spin has lasted the livelock window; then spinners_ holds the spinners.
    bool livelocked(bool main_waiting, const std::vector<int>& running, uint64_t seq, double now);
    bool spinning_now(bool main_waiting, const std::vector<int>& running, uint64_t& changes);
    // "Waiter#1 spins at line 4 (re-reads ready.value = 0, nothing changed for 1 s)", or
    // "" while the process is publishing a new proof.
    std::string describe_spin(int instance, uint64_t changes) const;

    const model::Program& program_;
    const Arena& arena_;
    const RunOptions& options_;
    std::vector<std::string> names_;
    double started_, last_progress_;
    uint64_t last_seq_ = 0;
    bool candidate_ = false;
    uint64_t candidate_seq_ = 0;
    double candidate_time_ = 0;
    // The livelock window: since when, at which `changes` and `seq`, over which processes.
    double spin_since_ = -1;
    uint64_t spin_changes_ = 0, spin_seq_ = 0;
    std::vector<int> spin_running_, spinners_, spinning_;
    Stop stop_ = Stop::None;
    std::vector<std::string> reasons_;
};

// True when the process sleeps in the kernel (state S in /proc/<pid>/stat).
bool asleep_in_kernel(int pid);

}  // namespace critsec::runtime
