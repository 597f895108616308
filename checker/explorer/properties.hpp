#pragma once
// Every property of a spec decided by the explicit-state explorer: each assert,
// lost update, deadlock, runtime error, and the watches a spec's `# expect:`
// lines ask for (max-inside, reach-inside, overlap, order, prints).
//
// Inputs: with fixed inputs the verdicts are for those inputs. Without, every
// randint combination is enumerated when there are few enough; otherwise a few
// sample input vectors are explored (every interleaving of each), a violation
// found is real, and a property is PROVED only when the input analysis shows
// that no input can change it (input_taint.hpp); else it is UNKNOWN, and the
// detail says so: a verdict over all inputs then needs the Z3 engine.
#include <optional>
#include <string>
#include <vector>

#include "checker/explorer/explorer.hpp"
#include "checker/verdict.hpp"
#include "model/expectations.hpp"

namespace critsec::checker {

struct ExplorerSettings {
    CheckOptions options;              // bound, fixed inputs
    std::vector<Expectation> watches;  // MaxInside, ReachInside, Overlap, Order, Prints expectations to decide too
    size_t max_states = 1'000'000;
    int64_t max_input_combinations = 10'000;  // per move; beyond it, sample
    int samples = 4;                          // input vectors tried when sampling
    bool reduce = true;                       // partial-order reduction
    // Keys of built-in properties another engine has proved ("deadlock", "runtime-error"):
    // without watches, the search stops once every other property is violated.
    std::vector<std::string> settled;
};

enum class InputScope { None, Fixed, All, Sampled };

struct ExplorerCheck {
    std::vector<PropertyResult> properties;
    InputScope scope = InputScope::None;
    std::string scope_text;  // "inputs fixed: 1 1 2", "all 27 input combinations", ...
    size_t states = 0;       // summed over the explorations
    size_t transitions = 0;
    int explorations = 0;
    bool bound_hit = false;
    std::vector<Expectation> unknown_watches;  // watches naming a process the spec lacks, or a line with no step of it
};

ExplorerCheck check_with_explorer(const model::Program& program, const ExplorerSettings& settings);

// A cheap first try for a race: when `settings.settled` is not empty and there
// are no watches, a small search without the reduction (a lost update lies a
// few moves from the start, whatever the number of processes), under one input
// vector (the fixed inputs, or the first sample), its first lost update run on
// to the end for the asserts it breaks. When it violates every property not
// settled, that check (the settled ones UNKNOWN, for the caller to fill in);
// else nullopt, at once when no store is computed from a load (no lost update
// to find).
std::optional<ExplorerCheck> find_every_violation(const model::Program& program, const ExplorerSettings& settings);

// The `# expect:` lines that become watches (the verdict and outcome lines are not).
bool is_watch(const Expectation& e);
std::string watch_key(const Expectation& e);  // "max-inside Printer 13-15", "order main:18 after Task:10", ...

}  // namespace critsec::checker
