#pragma once
// The outcome search for specs in the transition system's shape
// (transition_system.hpp: children that are straight sequences of loads,
// stores, acquires and releases; main that starts and joins them), compiled
// from that system into flat states of 64-bit words: the cells, the locks,
// main's place among its starts and joins, and per child its place and the
// values its remaining steps still need. Far cheaper per state than the
// explorer's moves, and with far fewer states, by five reductions that keep
// every final state:
//  - main's starts and joins are taken as soon as they can be: they commute
//    with every child's step, and no outcome sees them happen;
//  - a child keeps the value each pending store will write once the loads it
//    is computed from are done, not those loads;
//  - once main has no child left to start, children whose remaining steps and
//    kept values are the same are interchangeable (an outcome is the final
//    cells, and what main's code makes of them): a state's fingerprint sums
//    its children's, so states that differ only in which child is which merge;
//  - a cell no child will load again, and some child will store, is dead: its
//    value is cleared;
//  - a load whose value no store uses (it only reaches prints) is taken with
//    the step before it.
// It words no outcome itself: each distinct final state is reached again on
// the explorer's machine by following the order of its children's shared
// steps (guided_replay.hpp), and the machine's last state gives the outcome
// text and the witness. Where anything could go otherwise (a child's 64-bit
// overflow, a final state with a child blocked, which names it, inputs left to
// draw, a final state the machine does not reach the same way, its budget run
// out before any final state, all of which lie at the greatest depth), it
// declines and the caller runs the explorer's own search (outcome_search.hpp).
#include <optional>
#include <string>

#include "checker/explorer/outcome_search.hpp"

namespace critsec::checker {

// A compiled state costs about 150 bytes at the search's peak (its fingerprint,
// its parent, and its place in a breadth-first level: 16M states of 9 adders
// took 2.5 GB), the explorer's about 400 and more: the same budget allows this
// many more of them.
inline constexpr size_t kCompiledStatesPerExplorerState = 4;

// search_outcomes' report (witnesses as explorer moves) when the compiled
// search applies; nullopt otherwise, with the reason in `declined`.
std::optional<OutcomeSearchReport> search_outcomes_compiled(const PreparedProgram& prepared, const OutcomeSearchOptions& options,
                                                            std::string* declined = nullptr);

}  // namespace critsec::checker
