#pragma once
// Outcomes counted over many runs, shown in litmus7's manner: one line per
// distinct outcome with its count, `*` where an assert failed; for every assert
// whether it held Always, Sometimes or Never.
#include <cstdint>
#include <map>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/program.hpp"
#include "runtime/run_result.hpp"

namespace critsec::runtime {

struct OutcomeCount {
    std::string outcome;
    uint64_t count = 0;
    bool broke_assert = false;
    RunStatus status = RunStatus::Ok;
    uint64_t first_run = 0;  // the index of the first run that showed it
};

struct SeriesInfo {
    std::string spec;
    std::string mode;  // "fork per run" or "litmus (reused processes)"
    std::string perturb;
    double time_scale = 1;
    uint64_t seed = 0;
    double seconds = 0;
    std::string stopped;  // why the series stopped before its -n runs ("interrupted", the time budget), or ""
};

class Histogram {
public:
    void add(const RunResult& result, uint64_t run_index);

    uint64_t runs() const { return runs_; }
    size_t distinct() const { return outcomes_.size(); }
    const std::map<std::string, OutcomeCount>& outcomes() const { return outcomes_; }
    uint64_t assert_failures(int assert_id) const;
    uint64_t with_status(RunStatus status) const;

    std::string render(const model::Program& program, const SeriesInfo& info) const;
    nlohmann::json to_json(const model::Program& program, const SeriesInfo& info) const;

private:
    std::vector<const OutcomeCount*> sorted() const;  // in natural order of the outcome text
    const char* verdict(int assert_id) const;         // Always, Sometimes or Never held
    uint64_t runs_ = 0;
    std::map<std::string, OutcomeCount> outcomes_;
    std::map<int, uint64_t> assert_failures_;
    std::map<RunStatus, uint64_t> statuses_;
};

// "2 cores, Linux 6.1.0 x86_64"
std::string machine_description();

}  // namespace critsec::runtime
