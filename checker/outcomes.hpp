#pragma once
// Every reachable final outcome of a spec, found by the explorer: the final
// shared values and files, the processes that failed, every line main printed
// (and the processes left blocked, for a deadlock),
// each with a shortest witness, and marked `serial` when some serial execution
// (each child's body run whole, without another process moving in between)
// reaches it too.
#include <optional>
#include <string>
#include <vector>

#include "checker/explorer/properties.hpp"

namespace critsec::checker {
// Every outcome of a spec is a search to its last state: tutorial 09 with the
// tutorial's inputs needs 1.3 million (each read(2) being two steps), about
// 400 bytes of memory each.
inline constexpr size_t kOutcomeStateBudget = 2'000'000;
}  // namespace critsec::checker

namespace critsec::checker {

struct OutcomeSettings {
    CheckOptions options;          // bound, fixed inputs
    std::optional<uint64_t> seed;  // main's draws from this seed (when inputs are not fixed)
    size_t max_states = kOutcomeStateBudget;
    int64_t max_input_combinations = 10'000;
    bool reduce = true;
    bool compiled = true;  // try the compiled search first (compiled_search.hpp)
};

struct OutcomeReport {
    std::vector<Outcome> outcomes;  // sorted by text
    InputScope scope = InputScope::None;
    std::string scope_text;
    bool complete = true;  // every reachable outcome is listed
    std::string incomplete;
    bool bound_hit = false;  // some path was cut by the loop bound: outcomes beyond it are missing
    std::string loops_note;  // which loop was cut, and why (checker/explorer/loop_policy.hpp)
    size_t states = 0;
    size_t serial_states = 0;
    bool compiled = false;          // `states` are the compiled search's
    std::string compiled_declined;  // why the explorer's search ran instead
};

OutcomeReport enumerate_outcomes(const model::Program& program, const OutcomeSettings& settings);

}  // namespace critsec::checker
