#pragma once
// The symbolic room's face to the rest of critsec: every engine that reasons
// over Z3 terms (the inductive engine, the shape proofs, the all-at-once Z3
// encoding), behind an interface with no Z3 type in it. Only checker/symbolic/
// includes z3++.h; the build refuses any other file that does
// (cmake/check_layers.cmake).
//
// A session holds one Z3 context and the spec's transition system, extracted
// once, for every engine of one check: creating a context costs about as much
// as the explorer's whole search of most tutorial specs.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "checker/verdict.hpp"
#include "model/program.hpp"

namespace critsec::checker {

struct InductionResult {
    // Verdict Proved only, named and keyed as the explorer does: main's asserts,
    // and once the invariant is inductive also runtime error, deadlock, lost update.
    std::vector<PropertyResult> proved;
    bool complete = false;  // every assert and every built-in property is proved
    std::string declined;   // why some or all were not proved ("" when all were)
    int transitions = 0;    // transitions checked for consecution
    double seconds = 0;
};

struct ShapeSafety {
    std::vector<PropertyResult> proved;  // "deadlock" and/or "runtime-error", Proved, keyed as the explorer does
    std::string declined;                // why one or both were not proved
};

struct Z3Stats {
    int events = 0;
    int constraints = 0;
    int queries = 0;
    double solve_seconds = 0;
    std::vector<std::pair<std::string, double>> property_seconds;  // wall time per property, in order
};

class SymbolicSession {
public:
    SymbolicSession(const model::Program& program, const CheckOptions& options);
    ~SymbolicSession();
    SymbolicSession(const SymbolicSession&) = delete;
    SymbolicSession& operator=(const SymbolicSession&) = delete;

    // shape_safety.hpp: deadlock and runtime errors excluded by the program's shape.
    ShapeSafety prove_safety_by_shape();
    // induction.hpp: main's asserts and the built-in properties by an inductive invariant.
    InductionResult prove_by_induction();
    // z3_engine.hpp: the default properties over every interleaving and input.
    std::vector<PropertyResult> check_with_z3(Z3Stats* stats = nullptr);
    // The Z3 encoding as an SMT-LIB 2 script (z3_engine.hpp: encoding_smt2).
    std::string encoding_smt2();

private:
    struct Shared;
    std::unique_ptr<Shared> shared_;
};

// One-shot forms, each in a context of its own.
InductionResult prove_by_induction(const model::Program& program, const CheckOptions& options);
ShapeSafety prove_safety_by_shape(const model::Program& program, const CheckOptions& options);
std::vector<PropertyResult> check_with_z3(const model::Program& program, const CheckOptions& options, Z3Stats* stats = nullptr);

// Every distinct reachable final state (no process can move), each with a
// replayed witness, `serial` when some serial execution of the children reaches
// it. When the set may be incomplete (bound, timeout, not encoded),
// `*incomplete` (if given) says why; otherwise it is cleared.
std::vector<Outcome> outcomes_with_z3(const model::Program& program, const CheckOptions& options, std::string* incomplete = nullptr,
                                      Z3Stats* stats = nullptr);

// The base constraints (every reachable execution prefix) in SMT-LIB 2, for `--dump smt2`.
std::string to_smt2(const model::Program& program, const CheckOptions& options);

}  // namespace critsec::checker
