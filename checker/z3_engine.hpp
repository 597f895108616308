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

#include "checker/verdict.hpp"
#include "model/program.hpp"

namespace critsec::checker {

struct Z3Stats {
    int events = 0;
    int constraints = 0;
    int queries = 0;
    double solve_seconds = 0;
    std::vector<std::pair<std::string, double>> property_seconds;  // wall time per property, in order
};

std::vector<PropertyResult> check_with_z3(const model::Program& program, const CheckOptions& options, Z3Stats* stats = nullptr);
// The same in a context the caller shares with other engines (creating one costs milliseconds).
std::vector<PropertyResult> check_with_z3(z3::context& ctx, const model::Program& program, const CheckOptions& options,
                                          Z3Stats* stats = nullptr);

// Every distinct reachable final state (no process can move), each with a
// replayed witness, `serial` when some serial execution of the children reaches
// it. When the set may be incomplete (bound, timeout, not encoded),
// `*incomplete` (if given) says why; otherwise it is cleared.
std::vector<Outcome> outcomes_with_z3(const model::Program& program, const CheckOptions& options,
                                      std::string* incomplete = nullptr, Z3Stats* stats = nullptr);

// The base constraints (every reachable execution prefix) in SMT-LIB 2, for `--dump smt2`.
std::string to_smt2(const model::Program& program, const CheckOptions& options);

}  // namespace critsec::checker
