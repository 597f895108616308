#pragma once
// How the explorer's searches treat `while` loops. A busy-wait iteration that
// comes back to a state already seen closes a cycle in the state graph; it is
// not a deeper state. So a spec with loops is searched first with no iteration
// counts in its states: when that search ends, the reachable state space is
// finite and was covered whole, for every number of iterations (a PROVED is a
// proof, as in SPIN). Only when it does not end within its share of the budget
// (something in a loop keeps growing: a counter, a file) is the spec searched
// again with each loop cut at the bound, and its verdicts are BOUNDED, naming
// the loop that was cut.
#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "checker/explorer/fingerprint_set.hpp"
#include "checker/explorer/machine.hpp"

namespace critsec::checker {

// States the uncounted search may take before the bounded one is tried: a spec
// whose loops only wait has a few thousand; one that counts never ends.
inline constexpr size_t kUncountedLoopStates = 1'000'000;

inline bool has_while_loops(const model::Program& program) {
    return program.main.has_loops ||
           std::any_of(program.processes.begin(), program.processes.end(), [](const auto& t) { return t.has_loops; });
}

// The partial-order reduction's cycle proviso. With uncounted loops a private
// step can lead back to a state already seen, and a cycle of private steps
// taken alone would never let the other processes move (the ignoring
// problem). A state whose private steps reach a seen state is expanded whole:
// breadth-first, every cycle has one (the state whose edge goes back to the
// cycle's first-seen state), which is what the reduction needs to stay sound.
inline bool closes_cycle(const Machine& machine, const FingerprintSet& seen, int bound, std::vector<Transition>& private_steps) {
    if (bound != kLoopsUncounted) return false;  // counted loops make every state new
    return std::any_of(private_steps.begin(), private_steps.end(), [&](Transition& t) {
        machine.canonicalize(t.next);
        return seen.contains(machine.fingerprint(t.next));
    });
}

// `search(options)` runs one search; Options has `bound` and `max_states`, Report
// has `complete`, `stopped_early` (by choice, not by the budget), `bound_hit`,
// `cut_loop` and `loops_note`.
template <class Options, class Search>
auto search_loops_exactly(const model::Program& program, const Options& options, Search search) {
    if (options.bound == kLoopsUncounted || !has_while_loops(program)) return search(options);
    Options uncounted = options;
    uncounted.bound = kLoopsUncounted;
    uncounted.max_states = std::min(options.max_states, kUncountedLoopStates);
    auto exact = search(uncounted);
    if (exact.complete || exact.stopped_early || exact.too_many_inputs || exact.budget_spent) return exact;
    auto bounded = search(options);
    if (bounded.bound_hit)
        bounded.loops_note = fmt::format(
            "{} was cut at {} iterations, and without the cut the search met no end in {} states: "
            "something in it keeps growing",
            bounded.cut_loop, options.bound, uncounted.max_states);
    return bounded;
}

}  // namespace critsec::checker
