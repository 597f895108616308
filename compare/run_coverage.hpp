#pragma once
// `critsec run`'s coverage line: how many of the outcomes the checker predicts its
// runs showed. Only when the prediction is cheap: every run drew the same inputs
// (main draws nothing, most often), and the explorer lists every reachable outcome
// within the hint's budget; otherwise there is no line (`critsec compare` gives it
// per input vector, at its own cost).
#include <cstddef>
#include <optional>

#include "checker/budget.hpp"
#include "compare/run_observations.hpp"
#include "model/program.hpp"

namespace critsec::compare {

struct RunCoverage {
    size_t seen = 0;       // predicted outcomes some run showed
    size_t predicted = 0;  // outcomes the checker predicts for the runs' inputs
};

std::optional<RunCoverage> run_coverage(const model::Program& program, const RunObservations& runs, const checker::Budget& budget);

}  // namespace critsec::compare
