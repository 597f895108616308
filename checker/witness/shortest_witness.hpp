#pragma once
// The counterexample a reader should see: the shortest we can find from the one
// an engine found, its steps marked involved or not (involvement.hpp), the
// involved ones first.
//
// Shorter: the steps after the violation are cut, then each process's steps
// are dropped whole where the violation does not need them, then single steps
// (from the end). Ordered: each step not involved is moved as late as the order
// relation of involvement.hpp lets it go, so that those steps gather in runs a
// chart can fold into one line. Every candidate is replayed on the step
// semantics (model/semantics.cpp, through replay_witness) and kept only when it
// shows the same violation (violation.hpp), and a reordering only when it also
// ends in the same state: what comes out is a real execution, a schedule that
// `critsec replay --schedule` runs as it is.
//
// The tries are bounded by work (steps replayed times processes), not time, so
// the same spec always gets the same counterexample; a long witness of many
// processes is shortened as far as the bound goes.
#include <cstddef>
#include <vector>

#include "checker/explorer/prepared_program.hpp"
#include "checker/verdict.hpp"

namespace critsec::checker {

inline constexpr size_t kShorteningWork = 1'000'000;

// `found`, a counterexample of `result`'s property, made short and ordered;
// for a watch or a lasso only replayed (and a lasso's rows marked).
Witness shortest_witness(const PreparedProgram& prepared, const PropertyResult& result, const Witness& found,
                         size_t max_work = kShorteningWork);

// Each violated property's counterexample among `results`, through shortest_witness:
// what `check`, `replay --property` and the explore page show.
void shorten_counterexamples(const model::Program& program, std::vector<PropertyResult>& results);

}  // namespace critsec::checker
