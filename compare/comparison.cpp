#include "compare/comparison.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>

#include "compare/observed_outcome.hpp"
#include "compare/readable_log.hpp"
#include "runtime/event_log.hpp"
#include "runtime/fork_executor.hpp"
#include "runtime/litmus_executor.hpp"
#include "runtime/seeding.hpp"

namespace critsec::compare {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// A witness in one line: each stretch of steps by one process as `Name.first-last`
// (the step numbers of `critsec show`).
std::string one_line_schedule(const checker::Witness& w) {
    std::vector<std::string> parts;
    for (size_t i = 0; i < w.steps.size();) {
        size_t j = i;
        while (j + 1 < w.steps.size() && w.steps[j + 1].instance == w.steps[i].instance) ++j;
        const auto& a = w.steps[i];
        // Repeats as `2×5`, ascending runs as `3-8`: `main.2×5,3-8`.
        std::vector<std::string> segments;
        for (size_t k = i; k <= j;) {
            size_t e = k;
            if (k < j && w.steps[k + 1].step == w.steps[k].step) {
                while (e < j && w.steps[e + 1].step == w.steps[k].step) ++e;
                segments.push_back(fmt::format("{}×{}", w.steps[k].step, e - k + 1));
            } else {
                while (e < j && w.steps[e + 1].step == w.steps[e].step + 1) ++e;
                segments.push_back(e == k ? std::to_string(w.steps[k].step) : fmt::format("{}-{}", w.steps[k].step, w.steps[e].step));
            }
            k = e + 1;
        }
        parts.push_back(fmt::format("{}.{}", a.process, fmt::join(segments, ",")));
        i = j + 1;
    }
    return fmt::format("{}", fmt::join(parts, " "));
}

// What compare keeps about one input vector: the prediction and the outcomes seen.
struct Group {
    InputGroup info;
    checker::OutcomeReport report;
    std::map<std::string, size_t> index;  // outcome text -> position in report.outcomes
    std::set<std::string> seen;
};

std::unique_ptr<runtime::Executor> make_executor(const model::Program& program, const CompareOptions& options, runtime::RunOptions run) {
    if (options.reuse) return std::make_unique<runtime::LitmusExecutor>(program, std::move(run));
    return std::make_unique<runtime::ForkExecutor>(program, std::move(run));
}

void fill_prediction(OutcomeRow& row, const Group& g, size_t at) {
    const checker::Outcome& o = g.report.outcomes.at(at);
    row.serial = o.serial;
    row.lost_update = std::any_of(o.witness.steps.begin(), o.witness.steps.end(), [](const auto& s) { return s.lost_write; });
    row.witness = one_line_schedule(o.witness);
    row.witness_number = static_cast<int>(at) + 1;
    row.inputs = g.info.inputs;
}

// The runs, one at a time, held against the predictions for their inputs:
// what compare keeps between runs, and the report it fills.
class Tally {
public:
    Tally(const model::Program& program, const CompareOptions& options, ComparisonReport& out)
        : program_(program),
          options_(options),
          predict_(options.predictor ? options.predictor : explorer_predictor(options.bound, options.max_states)),
          out_(out) {}

    // Run k (of seed `seed`), which ended with an outcome.
    void add(const runtime::RunResult& r, uint64_t k, uint64_t seed) {
        std::string observed = observed_outcome_text(program_, r);
        Group& g = group_for(r.inputs);
        ++g.info.runs;
        g.seen.insert(observed);
        vectors_of_[observed].insert(r.inputs);
        add_to_row(g, observed, r, k, seed);
        if (options_.validate_traces) validate(r, observed, k, seed);
    }

    // Coverage, and the rows and groups into the report.
    void finish();

private:
    Group& group_for(const std::vector<int64_t>& inputs);
    void add_to_row(const Group& g, const std::string& observed, const runtime::RunResult& r, uint64_t k, uint64_t seed);
    void validate(const runtime::RunResult& r, const std::string& observed, uint64_t k, uint64_t seed);

    const model::Program& program_;
    const CompareOptions& options_;
    Predictor predict_;
    ComparisonReport& out_;
    std::map<std::vector<int64_t>, size_t> group_of_;  // inputs -> position in groups_
    std::vector<Group> groups_;
    std::map<std::string, OutcomeRow> rows_;
    std::map<std::string, std::set<std::vector<int64_t>>> vectors_of_;  // outcome -> input vectors it was seen under
};

// The group of these inputs; the model's prediction for them the first time they are seen.
Group& Tally::group_for(const std::vector<int64_t>& inputs) {
    auto [it, fresh] = group_of_.try_emplace(inputs, groups_.size());
    if (!fresh) return groups_[it->second];
    auto t1 = Clock::now();
    Group g;
    g.info.inputs = inputs;
    g.report = predict_(program_, PredictionInputs{inputs, {}});
    g.info.complete = g.report.complete && !g.report.bound_hit;
    g.info.incomplete = !g.report.complete   ? g.report.incomplete
                        : g.report.bound_hit ? fmt::format("a while loop was cut at {} iterations", options_.bound)
                                             : "";
    for (size_t i = 0; i < g.report.outcomes.size(); ++i) g.index[g.report.outcomes[i].text] = i;
    g.info.predicted = g.report.outcomes.size();
    g.info.checker_seconds = since(t1);
    out_.checker_seconds += g.info.checker_seconds;
    groups_.push_back(std::move(g));
    return groups_.back();
}

// The observed outcome's row; a run whose outcome the model does not predict is kept in full.
void Tally::add_to_row(const Group& g, const std::string& observed, const runtime::RunResult& r, uint64_t k, uint64_t seed) {
    auto at = g.index.find(observed);
    bool predicted = at != g.index.end();
    auto [row_it, first_time] = rows_.try_emplace(observed);
    OutcomeRow& row = row_it->second;
    if (first_time) {
        row.text = observed;
        row.predicted = predicted;
        row.first_run = k;
        row.first_seed = seed;
        row.inputs = r.inputs;
        if (predicted) fill_prediction(row, g, at->second);
    } else if (!predicted) {
        row.predicted = false;
    }
    ++row.observed;
    if (predicted) return;
    if (!g.info.complete) ++out_.inconclusive_runs;
    else ++out_.unpredicted_runs;
    bool kept = std::any_of(out_.unpredicted.begin(), out_.unpredicted.end(), [&](const auto& u) { return u.outcome == observed; });
    if (!kept && out_.unpredicted.size() < options_.keep_failures)
        out_.unpredicted.push_back(UnpredictedRun{k, seed, r.inputs, observed, r.outcome(),
                                                  runtime::render_sequence_chart(readable_events(r), r.names), !g.info.complete, {}});
}

// The run's event log replayed in the model (trace_validation.hpp), and counted.
void Tally::validate(const runtime::RunResult& r, const std::string& observed, uint64_t k, uint64_t seed) {
    auto t2 = Clock::now();
    TraceCheck check = validate_trace(program_, r, observed);
    out_.trace_seconds += since(t2);
    switch (check.verdict) {
        case TraceVerdict::Replays: ++out_.traces_replayed; break;
        case TraceVerdict::Diverges: ++out_.traces_diverged; break;
        case TraceVerdict::NotChecked: ++out_.traces_not_checked; break;
    }
    if (check.verdict != TraceVerdict::NotChecked) ++out_.traces_checked;
    if (check.verdict == TraceVerdict::Diverges && out_.trace_failures.size() < options_.keep_failures)
        out_.trace_failures.push_back(TraceFailure{k, seed, std::move(check), runtime::render_sequence_chart(readable_events(r), r.names)});
}

void Tally::finish() {
    std::set<std::string> unpredicted_texts;
    for (const auto& [text, row] : rows_)
        if (!row.predicted) unpredicted_texts.insert(text);
    out_.unpredicted_outcomes = unpredicted_texts.size();
    for (auto& g : groups_) {
        for (const auto& o : g.report.outcomes) g.info.predicted_seen += g.seen.count(o.text);
        out_.predicted += g.info.predicted;
        out_.predicted_seen += g.info.predicted_seen;
        out_.groups.push_back(g.info);
    }
    // The coverage gap, outcome by outcome, when every run had the same inputs
    // (with many input vectors the rows would be every vector's every outcome).
    if (groups_.size() == 1) {
        const Group& g = groups_.front();
        for (size_t i = 0; i < g.report.outcomes.size(); ++i) {
            const auto& text = g.report.outcomes[i].text;
            auto [it, fresh] = rows_.try_emplace(text);
            if (!fresh) continue;
            it->second.text = text;
            it->second.predicted = true;
            fill_prediction(it->second, g, i);
        }
    }
    for (auto& [text, row] : rows_) {
        row.input_vectors = static_cast<int>(vectors_of_[text].size());
        out_.rows.push_back(std::move(row));
    }
}

}  // namespace

Predictor explorer_predictor(int bound, size_t max_states, const checker::Budget* budget) {
    return [bound, max_states, budget](const model::Program& program, const PredictionInputs& inputs) {
        checker::OutcomeSettings settings;
        settings.options.budget = budget;
        settings.options.bound = bound;
        settings.options.fixed_inputs = inputs.main;
        settings.options.child_draws = inputs.children;
        settings.max_states = max_states;
        return checker::enumerate_outcomes(program, settings);
    };
}

bool ComparisonReport::inconclusive() const {
    if (interrupted || runs_without_outcome > 0 || inconclusive_runs > 0) return true;
    return std::any_of(groups.begin(), groups.end(), [](const auto& g) { return !g.complete; });
}

ComparisonReport compare_spec(const model::Program& program, const CompareOptions& options) {
    ComparisonReport out;
    out.spec = program.spec_path;
    runtime::RunOptions run_options = options.run;
    if (options.inputs) run_options.main_inputs = *options.inputs;
    std::unique_ptr<runtime::Executor> executor = make_executor(program, options, run_options);
    Tally tally(program, options, out);
    for (uint64_t k = 0; k < options.runs; ++k) {
        uint64_t seed = runtime::run_seed(options.seed, k);
        auto t0 = Clock::now();
        runtime::RunResult r = executor->run(seed);
        out.run_seconds += since(t0);
        if (r.status == runtime::RunStatus::Interrupted) {
            out.interrupted = true;
            break;
        }
        ++out.runs;
        if (has_outcome(r)) {
            tally.add(r, k, seed);
        } else {
            ++out.runs_without_outcome;
            ++out.traces_not_checked;
        }
        if (options.progress && !options.progress(k + 1, options.runs)) {
            out.interrupted = true;
            break;
        }
    }
    tally.finish();
    return out;
}

}  // namespace critsec::compare
