#pragma once
// The explicit-state explorer: a breadth-first search over every interleaving
// of a spec's steps (and every randint draw, or the fixed inputs), with states
// hashed so that each is expanded once, and a cheap partial-order reduction: a
// step that touches only its own process's data (print, sleep, an assert,
// seek, close, a loop marker), or that commutes with every other step (a join
// of a finished child, a semaphore's signal), and that no watch can see is
// taken alone. Being
// breadth-first, the first path found to anything is a shortest one.
//
// It is the brute-force oracle the Z3 engine is compared against, and it
// decides properties on its own when the inputs are fixed or few.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "checker/explorer/machine.hpp"

namespace critsec::checker {

struct ExploreReport;

struct ExploreOptions {
    int bound = 8;  // iterations of each `while`, per entry, where loops must be cut (loop_policy.hpp)
    DrawPolicy draws;
    Watch watch;
    bool serial = false;             // only schedules where each child's body runs whole
    bool reduce = true;              // the partial-order reduction
    bool depth_first = false;        // a depth-first search: deep violations sooner, witnesses no longer shortest
    size_t max_states = 1'000'000;   // a budget (about 1-3 KB of memory per state): beyond it the search stops, incomplete
    const Budget* budget = nullptr;  // the command's time and memory (checker/budget.hpp)
    // From the first lost update, the rest of that run (one process at a time): the asserts
    // and runtime errors it reaches, and a deadlock at its end, are recorded where
    // the search has none yet. Far deeper than a breadth-first search gets with
    // many processes; a shorter path the search finds later replaces them.
    bool complete_lost_update = false;
    // Checked after each expanded state: when it holds, the search stops (incomplete).
    std::function<bool(const ExploreReport&)> enough;
};

// A path from the initial state: the moves of a witness, in order.
struct Found {
    std::vector<Move> path;
    std::string detail;
};

struct OrderFindings {
    std::optional<Found> broken;  // an execution where `first before second` fails
    std::optional<Found> kept;    // an execution where it holds
};

struct ExploreReport {
    size_t states = 0;
    size_t transitions = 0;
    size_t terminal_states = 0;
    bool complete = true;  // every reachable state was expanded (else see `incomplete`)
    std::string incomplete;
    bool too_many_inputs = false;          // incomplete because a move had too many draw combinations
    bool budget_spent = false;             // incomplete because the command's time or memory ran out
    bool stopped_early = false;            // incomplete by choice: `enough` held
    bool bound_hit = false;                // some path was cut by the loop bound
    std::string cut_loop;                  // the first loop cut: "the while loop at line 12 of Counter"
    std::string loops_note;                // why the loops were cut (loop_policy.hpp), when they were
    std::map<int, Found> assert_failures;  // by assert id
    std::optional<Found> runtime_error;
    std::optional<Found> lost_update;
    std::optional<Found> deadlock;
    std::vector<int> max_inside;  // by Watch::regions
    std::vector<std::optional<Found>> at_max_inside;
    std::vector<std::optional<Found>> overlap;        // by Watch::overlaps
    std::vector<OrderFindings> orders;                // by Watch::orders
    std::vector<std::optional<Found>> prints_missed;  // by Watch::prints
    std::set<std::string> outcomes;                   // final outcome texts (with witnesses: outcome_search.hpp)
};

ExploreReport explore(const PreparedProgram& prepared, const ExploreOptions& options);

}  // namespace critsec::checker
