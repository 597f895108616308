#pragma once
// `critsec compare PROG.py --cpython`: N runs of the real program under python3
// (cpython_run.hpp) against the outcomes its model predicts, in the report of
// the fork runtime's compare (comparison.hpp): one row per outcome, predicted
// or not, observed counts; unpredicted outcomes; coverage. Runs are grouped by
// what they drew (main's draws, and each child's: the harness records them),
// and the checker enumerates the outcomes of each such vector once, the
// children's draws fixed too. CPython keeps no event log, so there is no trace validation; a run
// stopped at a cap, or that ended without the harness's report, has no outcome
// and is counted apart, with why.
//
// A stage: it returns the report, it never prints.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compare/comparison.hpp"
#include "compare/cpython_run.hpp"

namespace critsec::compare {

struct CPythonCompareOptions {
    uint64_t runs = 100;
    uint64_t seed = 1;                           // run k draws main's inputs from runtime::run_seed(seed, k)
    CPythonOptions run;                          // interpreter, program, caps; observe, files and main_inputs are filled from the model
    std::optional<std::vector<int64_t>> inputs;  // main's draws for every run and for the checker
    Predictor predictor;                         // the model's outcomes for an input vector
    size_t keep_failures = 5;
    // Called after every run (done, total); return false to stop early.
    std::function<bool(uint64_t, uint64_t)> progress;
};

struct CPythonReport {
    ComparisonReport comparison;  // trace fields unused; UnpredictedRun::chart holds the run's last output lines
    // Values and Arrays whose final value no run could read: left out of every outcome.
    std::set<std::string> unobserved;
    // Runs without an outcome, by why (a cap, no report); the first such run's output, for a look.
    std::map<std::string, uint64_t> stopped;
    std::string first_stopped_output;
    double runs_per_second() const;
};

CPythonReport compare_cpython(const model::Program& program, const CPythonCompareOptions& options);

}  // namespace critsec::compare
