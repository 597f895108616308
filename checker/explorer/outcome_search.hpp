#pragma once
// The search behind `critsec outcomes`: breadth-first over the explorer's moves
// (checker/machine.hpp), so each outcome's witness is a shortest one, but with
// states that keep only what can still change a final outcome: no lost-update
// monitor and no watches, so states the explorer tells apart by what a
// property would remember of their past merge here. The explorer stays the
// oracle: tests/outcomes_test.cpp compares the two.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "checker/explorer/machine.hpp"

namespace critsec::checker {

struct OutcomeSearchOptions {
    int bound = 8;  // iterations of each `while`, per entry, where loops must be cut (loop_policy.hpp)
    DrawPolicy draws;
    size_t max_states = 1'000'000;   // beyond it the search stops, incomplete
    const Budget* budget = nullptr;  // the command's time and memory (checker/budget.hpp)
    bool reduce = true;              // private steps (print, sleep, ...) taken alone, as the explorer does
};

struct OutcomeSearchReport {
    size_t states = 0;
    bool complete = true;
    std::string incomplete;
    bool too_many_inputs = false;                       // incomplete because a move had too many draw combinations
    bool budget_spent = false;                          // incomplete because the command's time or memory ran out
    bool stopped_early = false;                         // never: it has no early stop (loop_policy.hpp asks)
    bool bound_hit = false;                             // some path was cut by the loop bound
    std::string cut_loop;                               // the first loop cut: "the while loop at line 12 of Counter"
    std::string loops_note;                             // why the loops were cut (loop_policy.hpp), when they were
    std::map<std::string, std::vector<Move>> outcomes;  // final outcome text -> a shortest path to it
};

OutcomeSearchReport search_outcomes(const PreparedProgram& prepared, const OutcomeSearchOptions& options);

}  // namespace critsec::checker
