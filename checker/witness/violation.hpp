#pragma once
// What a counterexample shows, pinned down so that another schedule can be
// asked whether it shows the same thing: the assert that fails, the runtime
// error (its text), the stale store (its process, step and action, which the
// verdict's detail names), the deadlock (its `deadlock: ... blocked` line), a
// lasso's cycle. And where a replay shows it: the rows the violation consists
// of, from which its causal past is taken (involvement.hpp). The watches of
// `# expect:` lines are not pinned: their witnesses are shown as found.
#include <optional>
#include <string>
#include <vector>

#include "checker/explorer/replay.hpp"
#include "checker/verdict.hpp"

namespace critsec::checker {

struct Violation {
    PropertyKind kind = PropertyKind::Assert;
    int assert_line = 0;       // Assert: the line of `assert@LINE`
    std::string failure;       // RuntimeError: "Adder#1: ValueError: ..."
    std::string stale_store;   // LostUpdate: "Adder#2 2: store total.value = 14"
    std::string deadlock;      // Deadlock: "deadlock: main, T#1, T#2 blocked"
};

// The violation of the property `result` names, as the replay of its witness
// shows it; nullopt when the replay shows none, or for a watch.
std::optional<Violation> violation_shown(const model::Program& program, const PropertyResult& result, const Replayed& replayed);

// The rows (from 0) the violation consists of in `replayed`: the failing step,
// the stale store and the write it lost, the last steps of the processes left
// blocked (and of those holding what they wait for), a lasso's cycle. Empty
// when `replayed` does not show this violation.
std::vector<int> violation_rows(const model::Program& program, const Violation& violation, const Replayed& replayed);

inline bool shows(const model::Program& program, const Violation& violation, const Replayed& replayed) {
    return replayed.ok && !violation_rows(program, violation, replayed).empty();
}

}  // namespace critsec::checker
