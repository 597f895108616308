#pragma once
// The loop every process of a run executes: model::run_locals up to the next
// step, a perturbation, model::execute_step, the step into the event log; until
// the process ends, fails, blocks (main only) or its supervisor stops it; and
// whether it spins (spin_watch.hpp).
#include <functional>

#include "model/semantics.hpp"
#include "runtime/arena.hpp"
#include "runtime/os_world.hpp"
#include "runtime/perturb.hpp"
#include "runtime/spin_watch.hpp"
#include "runtime/turn_schedule.hpp"

namespace critsec::runtime {

enum class DriveEnd { Finished, Failed, Blocked, Stopped };

struct Driver {
    const model::Program& program;
    Arena& arena;
    OsWorld& world;
    model::DrawSource draws;
    Perturber perturber;
    // Asked before every step (main only); false stops the process where it is.
    std::function<bool()> keep_going;
    // A forced interleaving (`critsec replay`), or null.
    const TurnSchedule* turns = nullptr;
    // Kept across drive() calls: main comes back after every block.
    SpinWatch spin = {};
    unsigned steps_taken = 0;
};

DriveEnd drive(Driver& driver, model::ProcessState& state);

// Puts a finished process's end into its arena slot: Finished, or Failed with its
// error and the assert that failed.
void record_end(const model::Program& program, Arena& arena, const model::ProcessState& state);

}  // namespace critsec::runtime
