#include "cli/compare_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <system_error>

#include <nlohmann/json.hpp>

#include "checker/explorer/machine.hpp"
#include "checker/explorer/prepared_program.hpp"
#include "checker/budget.hpp"
#include "cli/command_clock.hpp"
#include "cli/exit_codes.hpp"
#include "cli/indent.hpp"
#include "cli/load_spec.hpp"
#include "cli/main_inputs.hpp"
#include "cli/run_command.hpp"
#include "compare/comparison.hpp"
#include "compare/cpython_comparison.hpp"
#include "model/expectations.hpp"
#include "runtime/clock.hpp"
#include "runtime/perturb.hpp"

namespace critsec::cli {
namespace {

constexpr uint64_t kMaxRuns = 1'000'000;

struct CompareArgs {
    std::string spec;
    uint64_t runs = 100;
    uint64_t seed = 1;
    std::string perturb = "none";
    bool reuse = false;
    double time_scale = 1;
    double deadlock_after = 10;
    double livelock_after = runtime::RunOptions{}.livelock_seconds;
    double timeout = 600;  // the whole command: runs and predictions
    double max_run_time = 60;
    std::string inputs;
    bool draw_inputs = false;
    int bound = 8;
    bool no_trace = false;
    std::string format = "text";
    bool cpython = false;          // run the .py program under python3 instead of the fork runtime
    std::string python = "python3";
    size_t max_memory_mb = 1024;   // --cpython: RLIMIT_AS of the interpreter and its children
};

// Lines joined for a table cell.
std::string one_line(const std::string& text) {
    std::string out;
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        out += (out.empty() ? "" : " | ") + text.substr(start, nl - start);
        start = nl + 1;
    }
    return out.empty() ? "(no shared state, nothing printed)" : out;
}

std::string kind_of(const compare::OutcomeRow& row) {
    if (!row.predicted && row.witness.empty()) return "-";
    return row.serial ? "serial" : row.lost_update ? "lost update" : "not serial";
}

// ` --inputs "3 4"` for a command line; nothing for a spec without inputs.
// `, children drew Worker#1 3, Worker#2 7` (CPython runs record what their children draw).
std::string children_drew(const std::map<std::string, std::vector<int64_t>>& draws) {
    if (draws.empty()) return "";
    std::vector<std::string> each;
    for (const auto& [label, values] : draws) each.push_back(fmt::format("{} {}", label, fmt::join(values, " ")));
    return fmt::format(", children drew {}", fmt::join(each, ", "));
}

std::string inputs_arg(const std::vector<int64_t>& inputs) {
    return inputs.empty() ? "" : fmt::format(" --inputs \"{}\"", fmt::join(inputs, " "));
}

std::string trace_footer(const compare::ComparisonReport& r) {
    std::string text = fmt::format("trace validation: {}/{} runs replay in the model", r.traces_replayed, r.runs);
    if (r.traces_diverged) text += fmt::format("; {} DIVERGE", r.traces_diverged);
    if (r.traces_not_checked) text += fmt::format("; {} not checked (no outcome, or an incomplete log)", r.traces_not_checked);
    return text;
}

void render_rows(const compare::ComparisonReport& r) {
    fmt::print("  {:>3}  {:<9}  {:>8}  {:<11}  {}\n", "#", "predicted", "observed", "kind", "outcome");
    int n = 0;
    for (const auto& row : r.rows) {
        fmt::print("  {:>3}  {:<9}  {:>8}  {:<11}  {}\n", ++n, row.predicted ? "yes" : "NO", row.observed, kind_of(row),
                   one_line(row.text));
        if (!row.witness.empty())
            fmt::print("                                        witness: {}  (outcome {} of `critsec outcomes {}{}`)\n",
                       row.witness, row.witness_number, r.spec, inputs_arg(row.inputs));
        else if (row.witness_number > 0)  // a CPython row: the witness by its number (the one-line form is comparison.cpp's)
            fmt::print("                                        witness: outcome {} of `critsec outcomes {}{}`\n",
                       row.witness_number, r.spec, inputs_arg(row.inputs));
    }
    fmt::print("\n");
}

void render_unpredicted(const compare::ComparisonReport& r, const CompareArgs& a) {
    if (r.unpredicted_runs == 0) return;
    fmt::print("THE MODEL IS WRONG: {} outcome{} observed in {} run{} {} not predicted by the model\n", r.unpredicted_outcomes,
               r.unpredicted_outcomes == 1 ? "" : "s", r.unpredicted_runs, r.unpredicted_runs == 1 ? "" : "s",
               r.unpredicted_outcomes == 1 ? "was" : "were");
    for (const auto& u : r.unpredicted) {
        if (u.prediction_incomplete) continue;
        std::string inputs = u.inputs.empty() ? "none" : fmt::format("{}", fmt::join(u.inputs, " "));
        fmt::print("\nrun {} (seed {}), inputs {}{}:\n", u.index, u.seed, inputs, children_drew(u.child_draws));
        fmt::print("{}", indent(u.outcome, "    "));
        if (a.cpython) {
            // CPython's schedule cannot be repeated: its inputs, and what it printed, can.
            fmt::print("  the model's outcomes for these inputs: critsec outcomes {}{}\n", r.spec, inputs_arg(u.inputs));
            if (!u.chart.empty()) fmt::print("  the run's last output:\n{}", indent(u.chart, "    | "));
            continue;
        }
        fmt::print("  as the run shows it: {}\n  repeat: critsec run {} --seed {} --first-run {} -n 1 --trace\n", u.run_outcome, r.spec,
                   a.seed, u.index);
        fmt::print("{}", indent(u.chart, "  "));
    }
    fmt::print("\n");
}

// Inconclusive runs and predictions, runs without an outcome, and coverage.
void render_coverage(const compare::ComparisonReport& r, bool say_timeouts) {
    if (r.inconclusive_runs > 0)
        fmt::print(
            "INCONCLUSIVE: {} run{} ended with an outcome the checker did not list, but its enumeration for those inputs is incomplete\n",
            r.inconclusive_runs, r.inconclusive_runs == 1 ? "" : "s");
    for (const auto& g : r.groups)
        if (!g.complete)
            fmt::print("INCOMPLETE prediction for inputs {}{}: {}\n", fmt::join(g.inputs, " "), children_drew(g.child_draws), g.incomplete);
    if (say_timeouts && r.runs_without_outcome > 0)
        fmt::print("{} run{} ended without an outcome (timeout): not compared\n", r.runs_without_outcome,
                   r.runs_without_outcome == 1 ? "" : "s");
    size_t observed_distinct = r.rows.size();
    for (const auto& row : r.rows) observed_distinct -= row.observed == 0;
    if (r.single_input_vector()) {
        fmt::print("coverage: {}/{} predicted outcomes observed ({:.1f}%)", r.predicted_seen, r.predicted,
                   r.predicted ? 100.0 * static_cast<double>(r.predicted_seen) / static_cast<double>(r.predicted) : 100.0);
        if (r.predicted > r.predicted_seen) fmt::print("; never observed: {} (observed 0 above)", r.predicted - r.predicted_seen);
        fmt::print("\n");
    } else if (!r.groups.empty()) {
        fmt::print(
            "coverage: {} input vectors, {} outcomes observed; per vector, {}/{} predicted outcomes observed "
            "(fix the inputs with --inputs for a per-outcome gap list)\n",
            r.groups.size(), observed_distinct, r.predicted_seen, r.predicted);
    }
}

void render_traces(const compare::ComparisonReport& r, const CompareArgs& a) {
    if (a.no_trace) {
        fmt::print("trace validation: off\n");
        return;
    }
    fmt::print("{}\n", trace_footer(r));
    for (const auto& f : r.trace_failures) {
        const auto& d = *f.check.divergence;
        fmt::print("\nrun {} (seed {}): the model parts from the log ", f.index, f.seed);
        if (d.instance >= 0)
            fmt::print("at step {} of the log: {} pc {}: the log says `{}`, the model did `{}`\n", d.seq + 1, d.process, d.pc, d.logged,
                       d.model);
        else fmt::print("at the end: {}\n", d.model);
        if (!f.check.model_outcome.empty()) fmt::print("  the model's outcome:\n{}", indent(f.check.model_outcome, "    "));
        fmt::print("{}", indent(f.chart, "  "));
    }
}

// `stopped`: why the runs stopped early (CommandClock::why), or "".
void render_text(const compare::ComparisonReport& r, const CompareArgs& a, const std::string& inputs_note, const std::string& stopped) {
    fmt::print("{}: {} runs ({}, --perturb {}), {}\n", r.spec, r.runs, a.reuse ? "litmus: processes reused" : "fork per run", a.perturb,
               inputs_note);
    fmt::print("runs {:.2f} s, checker {:.2f} s ({} input vector{}), trace replay {:.2f} s\n\n", r.run_seconds, r.checker_seconds,
               r.groups.size(), r.groups.size() == 1 ? "" : "s", r.trace_seconds);
    render_rows(r);
    render_unpredicted(r, a);
    render_coverage(r, true);
    render_traces(r, a);
    if (r.interrupted) fmt::print("{} after {} runs\n", stopped.empty() ? "interrupted" : stopped, r.runs);
}

void render_cpython_text(const compare::CPythonReport& c, const CompareArgs& a, const std::string& python, const std::string& inputs_note,
                         const std::string& stopped) {
    const compare::ComparisonReport& r = c.comparison;
    fmt::print("{}: {} runs under {} (CPython, one interpreter per run{}), {}\n", r.spec, r.runs, python,
               a.time_scale == 1 ? "" : fmt::format(", sleeps x{:g}", a.time_scale), inputs_note);
    fmt::print("runs {:.2f} s ({:.1f} runs/s), checker {:.2f} s ({} input vector{})\n\n", r.run_seconds, c.runs_per_second(),
               r.checker_seconds, r.groups.size(), r.groups.size() == 1 ? "" : "s");
    render_rows(r);
    render_unpredicted(r, a);
    if (!c.unobserved.empty())
        fmt::print("not observed: {} (a deadlocked run's, or not a Value or Array under that name in __main__'s globals "
                   "at a run's end): left out of those runs' outcomes on both sides\n",
                   fmt::join(c.unobserved, ", "));
    for (const auto& [why, count] : c.stopped)
        fmt::print("{} run{} without an outcome, not compared: {}\n", count, count == 1 ? "" : "s", why);
    if (std::any_of(c.stopped.begin(), c.stopped.end(), [](const auto& s) { return s.first.find("--max-run-time") != std::string::npos; }))
        fmt::print("  a run that never ends (it spins, or sleeps on) is stopped so: `critsec check {}` decides deadlock and progress\n",
                   r.spec);
    if (!c.first_stopped_output.empty()) fmt::print("  the first one's last output:\n{}", indent(c.first_stopped_output, "    | "));
    render_coverage(r, false);
    fmt::print("trace validation: none (a CPython run keeps no event log; outcomes only)\n");
    if (r.interrupted) fmt::print("{} after {} runs\n", stopped.empty() ? "interrupted" : stopped, r.runs);
}

nlohmann::json to_json(const compare::ComparisonReport& r, const CompareArgs& a, const std::string& inputs_note) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : r.rows)
        rows.push_back({{"outcome", row.text},
                        {"predicted", row.predicted},
                        {"observed", row.observed},
                        {"serial", row.serial},
                        {"lost_update", row.lost_update},
                        {"witness", row.witness},
                        {"witness_number", row.witness_number},
                        {"inputs", row.inputs},
                        {"first_run", row.first_run},
                        {"first_seed", row.first_seed},
                        {"input_vectors", row.input_vectors}});
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& g : r.groups)
        groups.push_back({{"inputs", g.inputs},
                          {"child_draws", g.child_draws},
                          {"runs", g.runs},
                          {"predicted", g.predicted},
                          {"predicted_seen", g.predicted_seen},
                          {"complete", g.complete},
                          {"incomplete", g.incomplete},
                          {"checker_seconds", g.checker_seconds}});
    nlohmann::json unpredicted = nlohmann::json::array();
    for (const auto& u : r.unpredicted)
        unpredicted.push_back({{"run", u.index},
                               {"seed", u.seed},
                               {"inputs", u.inputs},
                               {"child_draws", u.child_draws},
                               {"outcome", u.outcome},
                               {"run_outcome", u.run_outcome},
                               {"chart", u.chart},
                               {"prediction_incomplete", u.prediction_incomplete}});
    nlohmann::json failures = nlohmann::json::array();
    for (const auto& f : r.trace_failures) {
        const auto& d = *f.check.divergence;
        failures.push_back({{"run", f.index},
                            {"seed", f.seed},
                            {"seq", d.seq},
                            {"process", d.process},
                            {"pc", d.pc},
                            {"logged", d.logged},
                            {"model", d.model},
                            {"model_outcome", f.check.model_outcome},
                            {"chart", f.chart}});
    }
    return {{"spec", r.spec},
            {"runs", r.runs},
            {"executor", a.cpython ? "cpython" : a.reuse ? "litmus" : "fork"},
            {"perturb", a.perturb},
            {"inputs", inputs_note},
            {"interrupted", r.interrupted},
            {"outcomes", rows},
            {"input_vectors", groups},
            {"unpredicted_runs", r.unpredicted_runs},
            {"unpredicted_outcomes", r.unpredicted_outcomes},
            {"unpredicted", unpredicted},
            {"inconclusive_runs", r.inconclusive_runs},
            {"runs_without_outcome", r.runs_without_outcome},
            {"coverage", {{"predicted", r.predicted}, {"observed", r.predicted_seen}, {"single_input_vector", r.single_input_vector()}}},
            {"trace_validation",
             {{"enabled", !a.no_trace && !a.cpython},
              {"checked", r.traces_checked},
              {"replayed", r.traces_replayed},
              {"diverged", r.traces_diverged},
              {"not_checked", r.traces_not_checked},
              {"divergences", failures}}},
            {"seconds", {{"runs", r.run_seconds}, {"checker", r.checker_seconds}, {"traces", r.trace_seconds}}},
            {"model_agrees", r.model_agrees()}};
}

// main's inputs for every run and for the checker: --inputs, else the spec's
// `# fixed-inputs:` (unless --draw-inputs), checked against their randints
// before any run. The exit code of a mistake in them, or ok.
int fix_inputs(const CompareArgs& a, const Compiled& compiled, compare::CompareOptions& o, std::string& inputs_note) {
    inputs_note = "inputs drawn from each run's seed";
    if (!a.inputs.empty()) {
        o.inputs = parse_input_list(a.inputs);
        if (!o.inputs) {
            fmt::print(stderr, "critsec compare: --inputs wants integers, e.g. --inputs \"3 4 1 2\"\n");
            return exit_code::usage;
        }
        inputs_note = fmt::format("inputs fixed: {}", fmt::join(*o.inputs, " "));
    } else if (!a.draw_inputs) {
        SpecExpectations e = parse_expectations(compiled.source);
        if (e.fixed_inputs) {
            o.inputs = std::vector<int64_t>(e.fixed_inputs->begin(), e.fixed_inputs->end());
            inputs_note =
                fmt::format("inputs fixed: {} (the spec's `# fixed-inputs:`; --draw-inputs to draw them)", fmt::join(*o.inputs, " "));
        }
    }
    if (!o.inputs) return exit_code::ok;
    // Before any run: an input outside its randint is the caller's mistake (or the spec's), as in check.
    try {
        checker::check_main_inputs(checker::prepare(*compiled.program), *o.inputs);
    } catch (const checker::InputOutOfRange& e) {
        bool given = !a.inputs.empty();
        print_out_of_range(*compiled.program, e, given ? "--inputs" : "`# fixed-inputs:`");
        return given ? exit_code::usage : exit_code::data_error;
    }
    return exit_code::ok;
}

// After every run: stop when the clock says so; `run k/N` on a terminal.
std::function<bool(uint64_t, uint64_t)> progress_line(const CommandClock& clock) {
    bool tty = ::isatty(STDERR_FILENO) == 1;
    auto last = std::make_shared<double>(0);
    return [&clock, tty, last](uint64_t done, uint64_t total) {
        if (clock.stop()) return false;
        if (!tty) return true;
        double now = runtime::monotonic_seconds();
        if (now - *last >= 0.1 || done == total) {
            *last = now;
            fmt::print(stderr, "\r  run {}/{}\033[K{}", done, total, done == total ? "\r\033[K" : "");
        }
        return true;
    };
}

int run_compare_cpython(const CompareArgs& a);

int run_compare(const CompareArgs& a) {
    auto perturb = runtime::parse_perturb_mode(a.perturb);
    if (a.runs < 1 || a.runs > kMaxRuns || !perturb || (a.format != "text" && a.format != "json") ||
        !(a.time_scale >= 0 && a.time_scale <= 100) || !(a.deadlock_after > 0 && a.deadlock_after <= 600) ||
        !(a.livelock_after >= 0 && a.livelock_after <= 600) ||
        !(a.timeout > 0 && a.timeout <= 86400) ||
        !(a.max_run_time > 0 && a.max_run_time <= 3600)) {
        fmt::print(stderr,
                   "critsec compare: -n 1..{}, --perturb none|yield|random, --format text|json, --time-scale 0..100, "
                   "--deadlock-after 0..600, --livelock-after 0..600, --timeout 0..86400, --max-run-time 0..3600\n",
                   kMaxRuns);
        return exit_code::usage;
    }
    if (a.cpython) return run_compare_cpython(a);
    bool json = a.format == "json";
    int status = exit_code::ok;
    auto compiled = load_spec(a.spec, json ? Format::Json : Format::Text, status);
    if (!compiled) return status;
    const model::Program& program = *compiled->program;

    InterruptGuard interrupt;
    CommandClock clock(a.timeout);
    compare::CompareOptions o;
    o.runs = a.runs;
    o.seed = a.seed;
    o.reuse = a.reuse;
    o.bound = a.bound;
    o.validate_traces = !a.no_trace;
    o.run.perturb = *perturb;
    o.run.time_scale = a.time_scale;
    o.run.no_progress_timeout = a.deadlock_after;
    o.run.livelock_seconds = a.livelock_after;
    o.run.interrupted = [&clock] { return clock.stop(); };
    checker::Budget prediction_budget(a.timeout, checker::kDefaultMaxMemoryMb, false);
    o.predictor = compare::explorer_predictor(o.bound, o.max_states, &prediction_budget);
    o.run.max_run_seconds = a.max_run_time;
    std::string inputs_note;
    if (int mistake = fix_inputs(a, *compiled, o, inputs_note); mistake != exit_code::ok) return mistake;
    o.progress = progress_line(clock);
    compare::ComparisonReport report;
    try {
        report = compare::compare_spec(program, o);
    } catch (const runtime::SpecRefused& e) {
        fmt::print(stderr, "{}: refused: {}\n", a.spec, e.what());
        return exit_code::data_error;
    }
    if (json) fmt::print("{}\n", to_json(report, a, inputs_note).dump(2));
    else render_text(report, a, inputs_note, clock.why());
    if (!report.model_agrees()) return exit_code::violated;
    if (report.inconclusive()) return exit_code::inconclusive;
    return exit_code::ok;
}

// What --cpython cannot go with, said before anything runs; ok when nothing.
int cpython_usage(const CompareArgs& a) {
    std::string ext = std::filesystem::path(a.spec).extension().string();
    if (ext != ".py") {
        fmt::print(stderr,
                   "critsec compare: --cpython runs a Python program, and {} is not a .py file\n"
                   "hint: a spec's real runs are on the fork runtime: `critsec compare {} -n {}` (no --cpython); "
                   "give --cpython the .py program itself\n",
                   a.spec, a.spec, a.runs);
        return exit_code::usage;
    }
    if (a.reuse || a.perturb != "none") {
        fmt::print(stderr, "critsec compare: --reuse and --perturb are for the fork runtime; a --cpython run is the interpreter's own\n");
        return exit_code::usage;
    }
    if (a.max_memory_mb < 64 || a.max_memory_mb > (size_t{1} << 20)) {
        fmt::print(stderr, "critsec compare: --max-memory 64..1048576 (MiB)\n");
        return exit_code::usage;
    }
    return exit_code::ok;
}

// `compare PROG.py --cpython`: the real program under python3 against the model.
int run_compare_cpython(const CompareArgs& a) {
    if (int mistake = cpython_usage(a); mistake != exit_code::ok) return mistake;
    bool json = a.format == "json";
    int status = exit_code::ok;
    auto compiled = load_spec(a.spec, json ? Format::Json : Format::Text, status);
    if (!compiled) return status;
    std::optional<std::string> python = compare::find_python3(a.python);
    if (!python) {
        fmt::print(stderr, "critsec compare: --cpython needs {} and there is none{}\nhint: install python3 (apt-get install python3), or "
                   "name the interpreter with --python PATH\n", a.python, a.python.find('/') == std::string::npos ? " on $PATH" : "");
        return exit_code::unavailable;
    }
    InterruptGuard interrupt;
    CommandClock clock(a.timeout);
    compare::CompareOptions fixed;  // fix_inputs's reading of --inputs and `# fixed-inputs:`
    std::string inputs_note;
    if (int mistake = fix_inputs(a, *compiled, fixed, inputs_note); mistake != exit_code::ok) return mistake;
    checker::Budget prediction_budget(a.timeout, checker::kDefaultMaxMemoryMb, false);
    compare::CPythonCompareOptions o;
    o.runs = a.runs;
    o.seed = a.seed;
    o.inputs = fixed.inputs;
    o.predictor = compare::explorer_predictor(a.bound, checker::kOutcomeStateBudget, &prediction_budget);
    o.progress = progress_line(clock);
    o.run.python = *python;
    o.run.program = std::filesystem::absolute(a.spec).string();
    o.run.time_scale = a.time_scale;
    o.run.max_run_seconds = a.max_run_time;
    o.run.deadlock_after = a.deadlock_after;
    o.run.max_memory_mb = a.max_memory_mb;
    o.run.interrupted = [&clock] { return clock.stop(); };
    compare::CPythonReport report;
    try {
        report = compare::compare_cpython(*compiled->program, o);
    } catch (const std::system_error& e) {
        fmt::print(stderr, "critsec compare: {}\n", e.what());
        return exit_code::os_error;
    }
    if (json) {
        nlohmann::json j = to_json(report.comparison, a, inputs_note);
        j["python"] = *python;
        j["unobserved"] = report.unobserved;
        j["without_outcome"] = report.stopped;
        j["runs_per_second"] = report.runs_per_second();
        fmt::print("{}\n", j.dump(2));
    } else {
        render_cpython_text(report, a, *python, inputs_note, clock.why());
    }
    if (!report.comparison.model_agrees()) return exit_code::violated;
    return report.comparison.inconclusive() ? exit_code::inconclusive : exit_code::ok;
}

}  // namespace

void add_compare_command(CLI::App& app, int& exit_status) {
    auto* cmd = app.add_subcommand(
        "compare", "Real runs against the model: every observed outcome must be predicted; every run's log must replay in the model");
    auto a = std::make_shared<CompareArgs>();
    cmd->add_option("spec", a->spec, "the spec (.crit) or Python program (.py)")->required();
    cmd->add_option("-n,--runs", a->runs, "how many real runs")->capture_default_str();
    cmd->add_option("--seed", a->seed, "seed of the runs (run k as `critsec run --seed S --first-run k`)")->capture_default_str();
    cmd->add_option("--perturb", a->perturb, "none, yield or random: disturb every shared step so races show")->capture_default_str();
    cmd->add_flag("--reuse,--litmus", a->reuse, "litmus mode: fork the processes once and reuse them");
    cmd->add_option("--time-scale", a->time_scale, "multiply every sleep() by this")->capture_default_str();
    cmd->add_option("--deadlock-after", a->deadlock_after, "seconds without any step before a run counts as deadlock")
        ->capture_default_str();
    cmd->add_option("--livelock-after", a->livelock_after, kLivelockAfterHelp)->capture_default_str();
    cmd->add_option("--timeout", a->timeout, "seconds the whole command may take, runs and predictions; past it, what was compared")
        ->capture_default_str();
    cmd->add_option("--max-run-time", a->max_run_time, "seconds one run may take")->capture_default_str();
    auto* inputs = cmd->add_option("--inputs", a->inputs,
                                   "fix main's randint draws for every run and the checker: \"3 4 1 2\" "
                                   "(default: the spec's `# fixed-inputs:` line, if any)");
    cmd->add_flag("--draw-inputs", a->draw_inputs, "ignore the spec's `# fixed-inputs:`: each run draws its own")->excludes(inputs);
    cmd->add_option("--bound", a->bound, "iterations of each while loop the checker explores")->capture_default_str();
    cmd->add_flag("--no-trace-check", a->no_trace, "do not replay the runs' event logs in the model");
    cmd->add_option("--format", a->format, "text or json")->capture_default_str();
    cmd->add_flag("--cpython", a->cpython,
                  "run the .py program itself under python3 (one interpreter per run, through critsec's harness), "
                  "not the fork runtime");
    cmd->add_option("--python", a->python, "--cpython: the interpreter, a path or a name on $PATH")->capture_default_str();
    cmd->add_option("--max-memory", a->max_memory_mb, "--cpython: each run's address space in MiB (RLIMIT_AS)")->capture_default_str();
    cmd->callback([a, &exit_status] { exit_status = run_compare(*a); });
}

}  // namespace critsec::cli
