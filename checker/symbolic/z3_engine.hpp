#pragma once
// The Z3 engine: proves each default property of a spec for every interleaving
// and input (or returns a counterexample), and enumerates reachable outcomes.
// Every witness is replayed on the concrete step semantics (model::MemoryWorld)
// and reported only if the replay reaches the same violation or outcome.
//
// Properties (one PropertyResult each, in this order):
//   - one per `assert` (kind Assert, name "assert at line N"),
//   - "lost update": a store S computed from a load L of the same cell (Store::read_from)
//     while another process's store S2 of that cell lies strictly between L and S,
//   - "deadlock": a reachable state where no process can move and some started
//     process is unfinished,
//   - "runtime error": a process fails with anything but a failing `assert`.
// Not encoded (answered UNKNOWN with the reason): files; symbolic strings and
// floats beyond printing them; a process started on several paths of main.
#include <z3++.h>

#include <optional>
#include <string>
#include <vector>

#include "checker/symbolic/symbolic_session.hpp"
#include "model/program.hpp"

namespace critsec::checker {

// The same in a context the caller shares with other engines (creating one costs milliseconds).
std::vector<PropertyResult> check_with_z3(z3::context& ctx, const model::Program& program, const CheckOptions& options,
                                          Z3Stats* stats = nullptr);

// The encoding as an SMT-LIB 2 script (`critsec show --dump smt2`): the constraints
// over every interleaving, each property's question guarded by a literal
// `query_K`, and one (check-sat-assuming (query_K)) per property (sat: violated).
std::string encoding_smt2(z3::context& ctx, const model::Program& program, const CheckOptions& options);

}  // namespace critsec::checker
