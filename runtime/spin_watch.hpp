#pragma once
// A process's own look at whether it spins. Its state before a step (pc, locals,
// globals, open files, draws, a read under way) came back to one it had, and no
// process changed anything another could see in between (the arena's `changes`,
// bumped by every such step, did not move). A step is a function of the process's
// state and of the shared state alone, so for as long as `changes` stays where it
// is the process goes round that cycle, and never leaves it: it publishes the
// proof in its slot, tagged with `changes`, for the watchdog (supervision.hpp).
// A process that draws (its draw count moves), sleeps, writes a new value, prints,
// opens, writes or closes a file, or takes or releases a lock or semaphore moves
// `changes`, and its proof is void.
//
// Brent's cycle finding: one saved state, saved again after 1, 2, 4, ... steps
// (at most kLongestSpin), a state compared with it only when its pc is the saved
// one's. No system call; the only shared write is the proof itself.
#include <cstdint>
#include <string>
#include <vector>

#include "model/semantics.hpp"
#include "runtime/arena.hpp"

namespace critsec::runtime {

// Cycles longer than this many steps are not looked for; a shorter spin is found
// at most this many steps and two of its rounds after it starts, whatever ran before.
inline constexpr uint64_t kLongestSpin = uint64_t{1} << 16;

class SpinWatch {
public:
    // At the process's next step, before it is taken.
    void before_step(const Arena& arena, const model::ProcessState& state);
    // The step just taken (`state` is the process after it): what the proof's
    // description quotes, gathered over one round once a cycle is found.
    void after_step(const model::Program& program, const model::ProcessState& state, const model::Event& event);
    // The step could not be taken (main only: a lock it waits for, a child not yet
    // ended): a retry is no step, so the cycle finding starts over.
    void blocked() { saved_ = false; }

private:
    void save(const model::ProcessState& state, uint64_t changes);
    void round_closed(const Arena& arena, int instance);
    void publish(const Arena& arena, int instance, uint64_t changes) const;

    bool saved_ = false;
    model::ProcessState saved_state_;
    uint64_t saved_changes_ = 0;  // `changes` when the state was saved
    uint64_t power_ = 1, steps_ = 0;
    // One round of the cycle, described: it runs once more after it is found.
    bool describing_ = false;
    int first_line_ = 0, last_line_ = 0;
    std::vector<std::string> steps_seen_;
};

// Two states of one process from which it takes the same steps, given the same shared state.
bool same_process_state(const model::ProcessState& a, const model::ProcessState& b);

}  // namespace critsec::runtime
