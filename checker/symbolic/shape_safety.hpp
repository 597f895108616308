#pragma once
// Deadlock and runtime errors excluded for a racy spec, where the inductive
// engine's increment invariant cannot hold (a lost update breaks it), from the
// program's shape after main's starts (transition_system.hpp) alone, with no
// invariant over values:
//   - no deadlock: no child acquires a lock while holding one, and each releases
//     what it acquires, so a holder can always move, a free lock can always be
//     taken, and main joins only children it started;
//   - no runtime error: the extraction refuses whatever could fail but a local
//     computation beyond 64 bits, and Z3 shows none does, with every shared
//     value within its typecode (a store wraps, as ctypes does).
// It says nothing about asserts and lost updates: the explorer finds those.
#include <string>
#include <vector>

#include "checker/symbolic/symbolic_session.hpp"
#include "checker/symbolic/transition_system.hpp"
#include "model/program.hpp"

namespace critsec::checker {

// The same on `program`'s transition system, extracted in `ctx` with options.fixed_inputs:
// check_spec extracts it once for this and the inductive engine.
ShapeSafety prove_safety_by_shape(const model::Program& program, z3::context& ctx, const Extraction& extraction,
                                  const CheckOptions& options);

}  // namespace critsec::checker
