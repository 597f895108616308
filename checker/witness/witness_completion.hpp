#pragma once
// A witness run to the end: the explorer's counterexamples stop at the
// violation (steps not needed to show it are dropped), but a replay on the real
// OS must end somewhere definite, with an outcome to compare. The witness's own
// steps are kept, and then processes move in turn (round robin, the next that
// can move after the last mover) until nobody can: every process finished, or
// the rest blocked (a deadlock). Draws past the witness's take the range's low
// end, as replay_witness does.
//
// What a replay compares is also here: the model's end split into the parts a
// real run reports (shared state lines, failures, blocked processes, main's last prints).
#include <cstddef>
#include <string>
#include <vector>

#include "checker/explorer/prepared_program.hpp"
#include "checker/explorer/replay.hpp"
#include "checker/verdict.hpp"

namespace critsec::checker {

struct CompletedWitness {
    Witness witness;        // the schedule to the end (steps filled in by the replay)
    Replayed replayed;      // its replay: trace, outcome, failures
    size_t own_steps = 0;   // steps that came from the original witness
    bool complete = false;  // nobody can move at the end
    std::string problem;    // why not: the witness does not replay, or the step cap
};

CompletedWitness complete_witness(const PreparedProgram& prepared, const Witness& witness, size_t max_steps = 20'000);

// How many times a lasso's cycle is forced on the real processes before they run on their own.
inline constexpr int kCycleTurns = 3;

// The model's final state in the terms of a real run.
struct ModelEnd {
    std::vector<std::string> state;      // "total.value = 51", "file f.txt = \"71\"": as runtime::RunResult::final_state
    std::vector<std::string> failures;   // "Adder#2: ValueError: ...": as the run's problems name them
    std::vector<std::string> blocked;    // labels of the processes left blocked: a deadlock
    std::vector<std::string> main_prints;  // every line main printed, in order
    std::vector<std::string> spinning;   // a lasso's: the processes that move in its cycle (the blocked are the other unfinished)
};

ModelEnd model_end(const model::Program& program, const Replayed& replayed);

}  // namespace critsec::checker
