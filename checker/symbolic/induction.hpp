#pragma once
// The inductive engine: proves main's final asserts for every interleaving and
// every input with a one-step inductive invariant instead of unrolling
// executions, so that its cost grows with the number of processes, not with
// the number of their interleavings (the explorer and the all-at-once Z3
// encoding grow factorially on locked adders).
//
// The program after main's starts becomes a transition system
// (transition_system.hpp): main's position among its starts and joins, each
// child's pc and loaded values, the shared cells, each lock's holder. The
// candidate invariant is generated for the increment pattern:
//   - each child's contribution to a cell is a ghost variable (the increments
//     of its stores so far), bounded when the increments' ranges are concrete,
//     and each shared cell = its initial value + the children's contributions
//     (a store must write a load of the same cell plus something fixed for the
//     run: `total.value += n1`),
//   - a process between such a load and its store, holding the locks held
//     throughout, holds a value equal to the cell (true only when nobody else
//     can store there meanwhile: a lock),
//   - a lock is held by a process iff its pc lies inside its acquire/release,
//   - a process not yet started is at pc -1, a joined one at its end.
// Z3 checks initiation and consecution (one query per transition; frame.hpp
// leaves only the conjuncts the transition can change as goals, O(1) for a
// step of one of N processes), and then that the invariant at main's final
// state implies each assert. With the invariant inductive, the runtime-error
// obligations (no wrap, no overflow, releases by the holder) are part of
// consecution, deadlock freedom is one query and a lost update is excluded
// when every two increments of a cell share a lock (else one query per store).
// Anything unproved is not reported: the caller falls back to the other
// engines.
#include <string>
#include <vector>

#include "checker/symbolic/symbolic_session.hpp"
#include "checker/symbolic/transition_system.hpp"
#include "model/program.hpp"

namespace critsec::checker {

// The same on `program`'s transition system, extracted in `ctx` with options.fixed_inputs
// (check_spec extracts it once for this and the shape proofs).
InductionResult prove_by_induction(const model::Program& program, z3::context& ctx, const Extraction& extraction,
                                   const CheckOptions& options);

}  // namespace critsec::checker
