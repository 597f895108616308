#pragma once
// What the runs of `critsec run` did not show. A racy spec run the default way
// usually looks correct (bank_nolock: the assert held in 200 of 200 runs, exit
// 0); the checker, asked within a small budget, knows better. The properties it
// finds violated that no run violated, so that `run` can say so under its
// histogram instead of leaving a false impression. A lost update shows in no
// outcome alone: a run showed one when its event log, replayed in the model, has
// a store computed from a read that another process's write made stale
// (run_observations.hpp).
#include <string>
#include <vector>

#include "checker/budget.hpp"
#include "compare/run_observations.hpp"
#include "model/program.hpp"
#include "runtime/histogram.hpp"

namespace critsec::compare {

struct UnseenViolation {
    std::string key;     // as `replay --property` and `# expect:` name it: "assert@37", "lost-update", "deadlock", "runtime-error"
    std::string what;    // what a run showing it did: "broke the assert at line 37", "lost an update", "deadlocked"
    std::string detail;  // the checker's one line on how it fails
};

// The asserts, lost updates, deadlocks and runtime errors the explorer finds
// reachable within `budget` that none of the runs showed; empty when the budget
// ran out first (a cheap hint, not a verdict: `critsec check` gives those).
std::vector<UnseenViolation> unseen_violations(const model::Program& program, const runtime::Histogram& runs,
                                               const RunObservations& observed, const checker::Budget& budget);

}  // namespace critsec::compare
