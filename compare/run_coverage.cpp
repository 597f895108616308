#include "compare/run_coverage.hpp"

#include "checker/input_errors.hpp"
#include "checker/outcomes.hpp"

namespace critsec::compare {

std::optional<RunCoverage> run_coverage(const model::Program& program, const RunObservations& runs, const checker::Budget& budget) {
    std::optional<std::vector<int64_t>> inputs = runs.common_inputs();
    if (!inputs) return std::nullopt;
    checker::OutcomeSettings settings;
    settings.options.budget = &budget;
    settings.options.fixed_inputs = *inputs;
    settings.max_states = 200'000;
    checker::OutcomeReport report;
    try {
        report = checker::enumerate_outcomes(program, settings);
    } catch (const checker::InputOutOfRange&) {
        return std::nullopt;
    }
    if (!report.complete || report.bound_hit || report.outcomes.empty()) return std::nullopt;
    RunCoverage c;
    c.predicted = report.outcomes.size();
    for (const auto& o : report.outcomes) c.seen += runs.outcomes().count(o.text);
    return c;
}

}  // namespace critsec::compare
