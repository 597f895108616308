#pragma once
// Whether any execution reaches each assert. An assert that no execution gets
// to holds vacuously: a spec whose main deadlocks before its last line, or
// whose assert sits under a condition that is never true, would otherwise be
// PROVED. Searched on the concrete semantics (the explorer's machine), so the
// answer is the same whichever engine proved the assert.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/explorer/prepared_program.hpp"

namespace critsec::checker {

class Budget;

enum class Reach {
    Reached,
    Unreached,          // the whole state graph, over every input, and no execution runs it
    NotReachedSampled,  // too many inputs for the whole graph, and no execution of the inputs tried runs it
    Undecided,          // the search stopped (its budget) before finding it
};

struct AssertReach {
    int assert_id;
    Reach reach = Reach::Undecided;
    std::string why;  // Unreached: over what it was searched; Undecided: why the search stopped
};

struct ReachOptions {
    std::optional<std::vector<int64_t>> fixed_inputs;  // main's draws; otherwise every combination where few enough
    int64_t max_input_combinations = 10'000;           // per move
    size_t max_states = 1'000'000;
    const Budget* budget = nullptr;
};

// One answer per id of `asserts`, in that order. A depth-first search first
// under one input vector (the fixed inputs, or every draw at its range's low
// end: an assert at the end of main is then found in about as many moves as
// the spec has steps), then, for what it missed, over every input combination,
// where the answer Unreached needs the whole state graph; with too many input
// combinations for it, main's draws all at their high ends too.
std::vector<AssertReach> reach_asserts(const PreparedProgram& prepared, const std::vector<int>& asserts, const ReachOptions& options);

}  // namespace critsec::checker
