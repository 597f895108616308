#include "compare/cpython_comparison.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "compare/cpython_outcome.hpp"
#include "runtime/seeding.hpp"

namespace critsec::compare {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// One input vector: the model's outcomes for it, looked up by their text with
// the run's unobserved objects left out (cpython_outcome.hpp).
struct Group {
    InputGroup info;
    checker::OutcomeReport report;
    std::map<std::set<std::string>, std::map<std::string, size_t>> index;  // unobserved -> projected text -> outcome
    std::set<std::string> seen;

    const std::map<std::string, size_t>& projected(const std::set<std::string>& unobserved) {
        auto [it, fresh] = index.try_emplace(unobserved);
        if (fresh)
            for (size_t i = 0; i < report.outcomes.size(); ++i) it->second.emplace(project_outcome(report.outcomes[i].text, unobserved), i);
        return it->second;
    }
};

void fill_prediction(OutcomeRow& row, const Group& g, size_t at) {
    const checker::Outcome& o = g.report.outcomes.at(at);
    row.predicted = true;
    row.serial = o.serial;
    row.lost_update = std::any_of(o.witness.steps.begin(), o.witness.steps.end(), [](const auto& s) { return s.lost_write; });
    // Its number in `critsec outcomes` with these inputs; where the children's draws were
    // fixed too, no command lists the same outcomes, and no number is given.
    if (g.info.child_draws.empty()) row.witness_number = static_cast<int>(at) + 1;
    row.inputs = g.info.inputs;
}

class Tally {
public:
    Tally(const CPythonCompareOptions& options, const model::Program& program, CPythonReport& out)
        : options_(options),
          program_(program),
          predict_(options.predictor ? options.predictor : explorer_predictor(8, checker::kOutcomeStateBudget)),
          out_(out) {}

    void add(const CPythonOutcome& seen, const CPythonRun& run, uint64_t k, uint64_t seed);
    void finish();

private:
    Group& group_for(const PredictionInputs& inputs);

    const CPythonCompareOptions& options_;
    const model::Program& program_;
    Predictor predict_;
    CPythonReport& out_;
    std::map<PredictionInputs, size_t> group_of_;
    std::vector<Group> groups_;
    std::map<std::string, OutcomeRow> rows_;
    std::map<std::string, std::set<PredictionInputs>> vectors_of_;
};

Group& Tally::group_for(const PredictionInputs& inputs) {
    auto [it, fresh] = group_of_.try_emplace(inputs, groups_.size());
    if (!fresh) return groups_[it->second];
    auto t0 = Clock::now();
    Group g;
    g.info.inputs = inputs.main;
    g.info.child_draws = inputs.children;
    g.report = predict_(program_, inputs);
    g.info.complete = g.report.complete && !g.report.bound_hit;
    g.info.incomplete = !g.report.complete ? g.report.incomplete : g.report.bound_hit ? "a while loop was cut at the loop bound" : "";
    g.info.checker_seconds = since(t0);
    out_.comparison.checker_seconds += g.info.checker_seconds;
    groups_.push_back(std::move(g));
    return groups_.back();
}

void Tally::add(const CPythonOutcome& seen, const CPythonRun& run, uint64_t k, uint64_t seed) {
    PredictionInputs drawn{seen.inputs, seen.child_draws};
    Group& g = group_for(drawn);
    ++g.info.runs;
    g.seen.insert(seen.text);
    vectors_of_[seen.text].insert(drawn);
    const auto& index = g.projected(seen.unobserved);
    auto at = index.find(seen.text);
    bool predicted = at != index.end();
    auto [it, first_time] = rows_.try_emplace(seen.text);
    OutcomeRow& row = it->second;
    if (first_time) {
        row.text = seen.text;
        row.first_run = k;
        row.first_seed = seed;
        row.inputs = seen.inputs;
        if (predicted) fill_prediction(row, g, at->second);
    } else if (!predicted) {
        row.predicted = false;
    }
    ++row.observed;
    if (predicted) return;
    ComparisonReport& r = out_.comparison;
    if (!g.info.complete) ++r.inconclusive_runs;
    else ++r.unpredicted_runs;
    bool kept = std::any_of(r.unpredicted.begin(), r.unpredicted.end(), [&](const auto& u) { return u.outcome == seen.text; });
    if (!kept && r.unpredicted.size() < options_.keep_failures)
        r.unpredicted.push_back(UnpredictedRun{k, seed, seen.inputs, seen.text, "", run.output_tail, !g.info.complete, seen.child_draws});
}

// Coverage with every run's unobserved objects left out; the rows and groups into the report.
void Tally::finish() {
    ComparisonReport& r = out_.comparison;
    for (const auto& [text, row] : rows_) r.unpredicted_outcomes += !row.predicted;
    for (auto& g : groups_) {
        const auto& index = g.projected(out_.unobserved);
        std::set<std::string> seen;
        for (const auto& text : g.seen) seen.insert(project_outcome(text, out_.unobserved));
        g.info.predicted = index.size();
        for (const auto& [text, at] : index) g.info.predicted_seen += seen.count(text);
        r.predicted += g.info.predicted;
        r.predicted_seen += g.info.predicted_seen;
        r.groups.push_back(g.info);
    }
    // The coverage gap outcome by outcome when every run had the same inputs
    // (an outcome seen, but with fewer objects left out, is not a gap).
    std::set<std::string> shown;
    for (const auto& [text, row] : rows_) shown.insert(project_outcome(text, out_.unobserved));
    if (groups_.size() == 1)
        for (const auto& [text, at] : groups_.front().projected(out_.unobserved)) {
            if (shown.count(text)) continue;
            auto [it, fresh] = rows_.try_emplace(text);
            if (!fresh) continue;
            it->second.text = text;
            fill_prediction(it->second, groups_.front(), at);
        }
    for (auto& [text, row] : rows_) {
        row.input_vectors = static_cast<int>(vectors_of_[text].size());
        r.rows.push_back(std::move(row));
    }
}

}  // namespace

double CPythonReport::runs_per_second() const {
    return comparison.run_seconds > 0 ? static_cast<double>(comparison.runs) / comparison.run_seconds : 0;
}

CPythonReport compare_cpython(const model::Program& program, const CPythonCompareOptions& options) {
    CPythonReport out;
    out.comparison.spec = program.spec_path;
    CPythonOptions run_options = options.run;
    run_options.observe = observable_objects(program);
    run_options.files = file_names(program);
    run_options.main_inputs = options.inputs;
    Tally tally(options, program, out);
    for (uint64_t k = 0; k < options.runs; ++k) {
        uint64_t seed = runtime::run_seed(options.seed, k);
        auto t0 = Clock::now();
        CPythonRun run = run_cpython(run_options, seed);
        out.comparison.run_seconds += since(t0);
        if (run.status == CPythonStatus::Interrupted) {
            out.comparison.interrupted = true;
            break;
        }
        ++out.comparison.runs;
        bool over = run.status == CPythonStatus::Ended || run.status == CPythonStatus::Deadlock;
        CPythonOutcome seen = over ? cpython_outcome(program, run) : CPythonOutcome{};
        if (!seen.complete) {
            ++out.comparison.runs_without_outcome;
            ++out.stopped[over ? seen.problem : run.why];
            if (out.first_stopped_output.empty()) out.first_stopped_output = run.output_tail;
        } else {
            out.unobserved.insert(seen.unobserved.begin(), seen.unobserved.end());
            tally.add(seen, run, k, seed);
        }
        if (options.progress && !options.progress(k + 1, options.runs)) {
            out.comparison.interrupted = true;
            break;
        }
    }
    tally.finish();
    return out;
}

}  // namespace critsec::compare
