#pragma once
// A spec's `# expect:` lines held against what the checker decides: each claim
// is confirmed, refuted or left undecided, with what the checker said. Both the
// golden test and `critsec suite` judge claims here, so they cannot disagree.
#include <optional>
#include <string>
#include <vector>

#include "checker/engines.hpp"
#include "checker/outcomes.hpp"
#include "model/expectations.hpp"

namespace critsec::checker {

enum class ClaimStatus { Confirmed, Refuted, Undecided };

struct ClaimResult {
    Expectation claim;
    ClaimStatus status = ClaimStatus::Undecided;
    std::string stated;  // "lost-update: VIOLATED", "outcomes: 31", ...
    std::string found;   // "VIOLATED", "25 outcomes", "no property max-inside Printer 13-15", ...
};

struct SpecVerdicts {
    SpecCheck check;                        // every property, as `critsec check` decides it
    std::optional<OutcomeReport> outcomes;  // enumerated when some claim is about outcomes (with the stated fixed inputs)
    std::vector<ClaimResult> claims;        // in the spec's order
    int confirmed = 0, refuted = 0, undecided = 0;
};

// `budget` (optional) covers the check and the enumeration of outcomes together;
// `max_states` (optional) caps each search's states, the check's and the outcomes'.
SpecVerdicts judge_claims(const model::Program& program, const SpecExpectations& expectations, Engine engine = Engine::Auto,
                          const Budget* budget = nullptr, std::optional<size_t> max_states = std::nullopt);

// The same, against a check already made (`critsec check`'s, with its own
// options); the outcomes are enumerated here when a claim is about them.
SpecVerdicts judge_claims_against(const model::Program& program, const SpecExpectations& expectations, SpecCheck check,
                                  const Budget* budget = nullptr, std::optional<size_t> max_states = std::nullopt);

const char* claim_status_name(ClaimStatus status);

}  // namespace critsec::checker
