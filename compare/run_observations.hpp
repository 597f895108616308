#pragma once
// What `critsec run` keeps of its runs for the notes under its histogram, beside
// the histogram itself: the outcomes in the checker's terms (for the coverage of
// the predicted ones) and whether any run's event log shows a lost update, which
// no outcome shows alone (unseen_violations.hpp).
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/program.hpp"
#include "runtime/run_result.hpp"

namespace critsec::compare {

class RunObservations {
public:
    explicit RunObservations(const model::Program& program);
    void add(const runtime::RunResult& run, uint64_t index);  // run `index` of the series

    // Whether some run's log showed a lost update (its first run's index); nullopt
    // when the spec has no read-modify-write to lose. Logs are replayed in the model
    // only until one shows it, so a racy spec's runs pay for a few.
    std::optional<bool> lost_update_seen() const;
    uint64_t first_lost_update_run() const { return first_lost_; }

    // Distinct outcomes, as the checker writes them (observed_outcome.hpp).
    const std::set<std::string>& outcomes() const { return outcomes_; }
    // main's draws, when every run drew the same (or none); nullopt otherwise.
    std::optional<std::vector<int64_t>> common_inputs() const;

private:
    const model::Program& program_;
    bool can_lose_update_ = false;
    bool only_cells_ = true;  // no file write computed from a read: a log is scanned before it is replayed
    bool lost_seen_ = false;
    uint64_t first_lost_ = 0;
    uint64_t runs_ = 0;
    std::set<std::string> outcomes_;
    std::vector<int64_t> first_inputs_;
    bool same_inputs_ = true;
};

}  // namespace critsec::compare
