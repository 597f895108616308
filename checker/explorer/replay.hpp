#pragma once
// Replaying a witness on the concrete step semantics: the schedule (who moves,
// in order) and the draws are run through the same moves the explorer makes,
// and every row of the trace gets the step's number, line and action, the
// shared state after it, and the lost-update marks: the stale store
// (`lost_write`) and the store it overwrote (`overwritten`). Both engines'
// witnesses go through here before they are shown, so a witness that does not
// replay is caught rather than printed.
#include <optional>
#include <string>
#include <vector>

#include "checker/explorer/machine.hpp"
#include "checker/verdict.hpp"

namespace critsec::checker {

// What a row did besides what its text says: for the violation's causal past
// (checker/witness/involvement.hpp) and for telling which violation it shows.
struct RowEffects {
    std::vector<Access> accesses;  // the shared cells and files it loaded, stored, read and wrote
    int failed_assert = -1;        // the assert (id) it failed
    std::string runtime_error;     // "Adder#2: ValueError: ..." when it failed otherwise
};

struct Replayed {
    Witness witness;                    // steps filled in (marker steps of loops left out)
    bool ok = true;                     // every scheduled process could move
    std::string problem;                // why not
    std::string outcome;                // the outcome text of the last state when nobody can move ("" otherwise)
    std::vector<std::string> failures;  // "Adder#2: ValueError: ..." in the order they happened
    bool lost_update = false;
    std::vector<model::MemoryWorld> worlds;  // the world before the first step, then after each row
    std::vector<RowEffects> effects;         // by row
    // With `fingerprint_rows`: the explorer's state (loops uncounted, canonical)
    // before the first step, then after each row; a lasso's cycle returns to its first.
    std::vector<Fingerprint> fingerprints;
};

// The shared state rendered by name: `total.value` -> "7", `lock` -> "Adder#2", file -> "\"71\"".
std::map<std::string, std::string> shared_state(const model::Program& program, const model::MemoryWorld& world);

// From the explorer's moves.
Witness witness_from_moves(const std::vector<Move>& path);

// Takes the loop markers `instance` waits at (the explorer's no-op steps, never
// part of a schedule), so that it stands at its next step of the spec.
void take_loop_markers(const Machine& m, MachineState& s, int instance, const Witness& w);

// A witness's schedule is `witness.steps[i].instance`; its draws come from
// `witness.draws`, then `witness.inputs` (main), then each range's low end.
Replayed replay_witness(const PreparedProgram& prepared, const Witness& witness, bool fingerprint_rows = false);

}  // namespace critsec::checker
