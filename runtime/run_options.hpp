#pragma once
// How `critsec run` executes a spec, and the caps that protect a shared machine.
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/perturb.hpp"

namespace critsec::runtime {

class TurnSchedule;

struct RunOptions {
    PerturbMode perturb = PerturbMode::None;
    double time_scale = 1.0;          // multiplies every sleep()
    double no_progress_timeout = 10;  // seconds without a step while nobody sleeps: deadlock
    double max_run_seconds = 60;      // one run longer than this is cut: timeout
    // Seconds that every process that could go on spins, with nothing changed, before
    // the run is stopped: livelock (supervision.hpp). 0: never.
    double livelock_seconds = 1;
    int event_capacity = 4096;          // steps of one run kept in the event log
    int max_processes = 64;             // process instances a spec may start (main included)
    // Each child's address space, in MiB (RLIMIT_AS): past it, the step that
    // allocates fails the process with MemoryError, as CPython's would.
    size_t max_memory_mb = 1024;
    bool keep_files = false;            // leave the private folder behind (--keep)
    std::function<bool()> interrupted;  // polled while supervising (Ctrl-C)
    // `critsec compare` with fixed inputs: main's randint draws, in order (a spec's
    // `# fixed-inputs:`); draws past them are seeded as usual.
    std::vector<int64_t> main_inputs;
    // `critsec replay`: every step waits for its turn and randint() takes the
    // schedule's draws (turn_schedule.hpp). Null: processes run freely, draws seeded.
    std::shared_ptr<const TurnSchedule> turns;
};

// A spec the runtime refuses to execute, before anything runs.
struct SpecRefused : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace critsec::runtime
