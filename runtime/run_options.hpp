#pragma once
// How `critsec run` executes a spec, and the caps that protect a shared machine.
#include <functional>
#include <stdexcept>
#include <string>

#include "runtime/perturb.hpp"

namespace critsec::runtime {

struct RunOptions {
    PerturbMode perturb = PerturbMode::None;
    double time_scale = 1.0;           // multiplies every sleep()
    double no_progress_timeout = 10;   // seconds without a step while nobody sleeps: deadlock
    double max_run_seconds = 60;       // one run longer than this is cut: timeout
    int event_capacity = 4096;         // steps of one run kept in the event log
    int max_processes = 64;            // process instances a spec may start (main included)
    bool keep_files = false;           // leave the private folder behind (--keep)
    std::function<bool()> interrupted; // polled while supervising (Ctrl-C)
};

// A spec the runtime refuses to execute, before anything runs.
struct SpecRefused : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace critsec::runtime
