#pragma once
// Which engine decides a spec's properties. The explorer is exact over the
// inputs it can enumerate and samples beyond them, so a property whose verdict
// depends on too many inputs comes back UNKNOWN; the Z3 engine treats every
// randint as a symbolic input and can decide it over all of them. `Auto` asks
// the inductive engine first (it proves locked specs whole), then the shape
// proofs (deadlock and runtime errors excluded for a race), then the explorer,
// which stops once every property left to it is violated, and Z3 only for what
// the others left undecided. A spec with watches (which only the explorer
// decides) is searched first, and the others fill in only what it leaves open.
#include <optional>
#include <string>
#include <vector>

#include "checker/explorer/properties.hpp"

namespace critsec::checker {

enum class Engine { Explorer, Z3, Auto };

struct SpecCheck {
    std::vector<PropertyResult> properties;  // the explorer's order (asserts, built-ins, watches)
    std::vector<std::string> decided_by;     // per property: "explorer", "induction", "shape" or "z3"
    std::string scope_text;                  // the explorer's input scope, or "every input (symbolic)"
    size_t states = 0;                       // explored states (0 when only Z3 ran)
    std::vector<Expectation> unknown_watches;
    double seconds = 0;
    double z3_seconds = 0;  // 0 when Z3 was not asked
};

SpecCheck check_spec(const model::Program& program, const ExplorerSettings& settings, Engine engine);

// Every property of one kind (each assert, say) as one verdict: VIOLATED when
// one is, else one that is not PROVED (BOUNDED or UNKNOWN), else PROVED;
// nullopt when the spec has none of that kind.
std::optional<Verdict> verdict_of_kind(const SpecCheck& check, PropertyKind kind);

}  // namespace critsec::checker
