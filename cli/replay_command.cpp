#include "cli/replay_command.hpp"

#include <fmt/format.h>

#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "chart/text_fit.hpp"
#include "checker/budget.hpp"
#include "checker/explorer/machine.hpp"
#include "checker/explorer/progress.hpp"
#include "checker/explorer/properties.hpp"
#include "checker/input_errors.hpp"
#include "checker/outcomes.hpp"
#include "checker/witness/schedule_witness.hpp"
#include "checker/witness/shortest_witness.hpp"
#include "checker/witness/witness_completion.hpp"
#include "cli/chart_file.hpp"
#include "cli/exit_codes.hpp"
#include "cli/indent.hpp"
#include "cli/command_clock.hpp"
#include "cli/interrupt_guard.hpp"
#include "cli/load_spec.hpp"
#include "cli/main_inputs.hpp"
#include "cli/terminal.hpp"
#include "compare/replay_match.hpp"
#include "compare/witness_schedule.hpp"
#include "model/expectations.hpp"
#include "runtime/fork_executor.hpp"
#include "runtime/turn_schedule.hpp"

namespace critsec::cli {
namespace {

struct ReplayArgs {
    std::string spec;
    std::string property;         // key or name; "" is the first violated one
    std::string outcome;          // replay this outcome's witness instead
    std::string schedule;         // or this schedule, as `outcomes` prints it
    bool schedule_given = false;  // (an empty --schedule is given, and wrong)
    std::string inputs;
    std::string format = "text";
    int bound = 8;
    size_t max_states = 1'000'000;
    double deadlock_after = 5;
    double timeout = 120;  // the whole command: finding the witness, then the forced run
    std::string color = "auto";
    ChartFile chart;
};

// What is replayed: a property's counterexample or an outcome's witness.
struct Chosen {
    std::string title;  // "lost update [lost-update]: VIOLATED ..." or "outcome ..."
    std::optional<checker::PropertyKind> kind;
    checker::Witness witness;
    std::string source = "the witness";  // where its steps come from
};

// The lines of an outcome, indented; `(nothing)` for none.
std::string listing(const std::string& text) { return text.empty() ? "    (nothing)\n" : indent(text, "    "); }

// An outcome by its whole text, else by one of its lines, else by a part of it.
const checker::Outcome* find_outcome(const checker::OutcomeReport& report, const std::string& wanted, size_t& matches) {
    auto pick = [&](auto&& fits) -> const checker::Outcome* {
        const checker::Outcome* first = nullptr;
        matches = 0;
        for (const auto& o : report.outcomes)
            if (fits(o.text)) {
                if (!first) first = &o;
                ++matches;
            }
        return first;
    };
    std::string line_wanted = "\n" + wanted + "\n";
    if (auto* o = pick([&](const std::string& t) { return t == wanted || t == wanted + "\n"; })) return o;
    if (auto* o = pick([&](const std::string& t) { return ("\n" + t).find(line_wanted) != std::string::npos; })) return o;
    return pick([&](const std::string& t) { return t.find(wanted) != std::string::npos; });
}

// An outcome's witness: the outcome matched by --outcome among every reachable one.
std::optional<Chosen> choose_outcome(const ReplayArgs& a, const Compiled& compiled, std::optional<std::vector<int64_t>> inputs,
                                     int& status) {
    checker::OutcomeSettings settings;
    checker::Budget budget(a.timeout, checker::kDefaultMaxMemoryMb, false);
    settings.options.budget = &budget;
    settings.options.bound = a.bound;
    settings.max_states = a.max_states;
    settings.options.fixed_inputs = inputs;
    // As `critsec outcomes` does: too many input combinations, take the spec's own fixed inputs.
    std::optional<ListedOutcomes> listed = list_outcomes(compiled, settings);
    if (!listed) {
        status = exit_code::data_error;
        return std::nullopt;
    }
    const checker::OutcomeReport& report = listed->report;
    size_t matches = 0;
    const checker::Outcome* o = find_outcome(report, a.outcome, matches);
    if (!o) {
        fmt::print(stderr, "critsec replay: no reachable outcome ({}, {}) matches `{}`{}\n", report.scope_text,
                   report.complete ? fmt::format("{} outcomes", report.outcomes.size()) : "not enumerated: " + report.incomplete, a.outcome,
                   report.outcomes.empty() ? "" : "; `critsec outcomes` lists them");
        status = exit_code::inconclusive;
        return std::nullopt;
    }
    return Chosen{fmt::format("outcome ({}; {} matched, the first taken)", report.scope_text, matches), std::nullopt, o->witness};
}

// A property's counterexample: the one named by --property, else the first violated.
std::optional<Chosen> choose_property(const ReplayArgs& a, const Compiled& compiled, std::optional<std::vector<int64_t>> inputs,
                                      int& status) {
    checker::ExplorerSettings settings;
    checker::Budget budget(a.timeout, checker::kDefaultMaxMemoryMb, false);
    settings.options.budget = &budget;
    settings.options.bound = a.bound;
    settings.max_states = a.max_states;
    settings.options.fixed_inputs = inputs;
    for (const auto& e : parse_expectations(compiled.source).expectations)
        if (checker::is_watch(e)) settings.watches.push_back(e);
    checker::ExplorerCheck check = checker::check_with_explorer(*compiled.program, settings);
    if (auto progress = checker::check_progress(checker::prepare(*compiled.program), settings))
        check.properties.push_back(std::move(*progress));
    checker::shorten_counterexamples(*compiled.program, check.properties);  // the counterexample `check` shows
    const checker::PropertyResult* chosen = nullptr;
    for (const auto& r : check.properties) {
        bool named = a.property.empty() || r.key == a.property || r.name == a.property;
        if (named && (!a.property.empty() || r.verdict == checker::Verdict::Violated)) {
            chosen = &r;
            break;
        }
    }
    if (!a.property.empty() && !chosen) {
        std::vector<std::string> keys;
        for (const auto& r : check.properties) keys.push_back(r.key.empty() ? r.name : r.key);
        fmt::print(stderr, "critsec replay: no property `{}`; the spec has: {}\n", a.property, fmt::join(keys, ", "));
        status = exit_code::usage;
        return std::nullopt;
    }
    if (!chosen || chosen->verdict != checker::Verdict::Violated || !chosen->witness) {
        if (chosen)
            fmt::print(stderr, "critsec replay: {} is {} ({}): no counterexample to replay\n", chosen->name,
                       checker::verdict_name(chosen->verdict), chosen->detail);
        else fmt::print(stderr, "critsec replay: no property is violated ({}): no counterexample to replay\n", check.scope_text);
        status = exit_code::inconclusive;
        return std::nullopt;
    }
    return Chosen{fmt::format("{} [{}]: {}, {}", chosen->name, chosen->key, checker::verdict_name(chosen->verdict), chosen->detail),
                  chosen->kind, *chosen->witness};
}

// The schedule given by --schedule, run in the model first: malformed, a usage
// error (64); well formed but not a run of this spec, a data error (65).
std::optional<Chosen> choose_schedule(const ReplayArgs& a, const Compiled& compiled, std::optional<std::vector<int64_t>> inputs,
                                      int& status) {
    checker::ParsedSchedule parsed = checker::parse_schedule(a.schedule);
    SourceFile text("--schedule", a.schedule);
    if (has_errors(parsed.diagnostics)) {
        fmt::print(stderr, "{}", render_all(text, parsed.diagnostics));
        status = exit_code::usage;
        return std::nullopt;
    }
    checker::PreparedProgram prepared = checker::prepare(*compiled.program);
    std::string given = "--inputs";
    if (SpecExpectations e = parse_expectations(compiled.source); !inputs && e.fixed_inputs) {
        inputs = std::vector<int64_t>(e.fixed_inputs->begin(), e.fixed_inputs->end());
        given = "`# fixed-inputs:`";
    }
    try {
        checker::check_main_inputs(prepared, inputs.value_or(std::vector<int64_t>{}));
    } catch (const checker::InputOutOfRange& e) {
        print_out_of_range(*compiled.program, e, given);
        status = given == "--inputs" ? exit_code::usage : exit_code::data_error;
        return std::nullopt;
    }
    checker::ScheduledWitness w = checker::witness_of_schedule(prepared, parsed, inputs.value_or(std::vector<int64_t>{}));
    if (!w.witness) {
        fmt::print(stderr, "{}", render_all(text, w.diagnostics));
        status = exit_code::data_error;
        return std::nullopt;
    }
    std::string title = fmt::format("the schedule given ({} steps{})", parsed.entries.size(),
                                    inputs ? fmt::format(", inputs from {}", given) : std::string(", every randint at its low end"));
    return Chosen{title, std::nullopt, std::move(*w.witness), "--schedule"};
}

// The real run's chart, with the model's marks (the lost write, the stale store)
// on its rows. A lasso's processes spin on after their turns: a few of those rows, then a count.
chart::Trace marked_trace(const runtime::RunResult& real, const checker::Witness& w) {
    chart::Trace trace = runtime::trace_of_events(real.log.events, real.names);
    for (size_t row = 0; row < trace.rows.size() && row < w.steps.size(); ++row) {
        const auto& step = w.steps[row];
        trace.rows[row].note = step.note;
        trace.rows[row].line = step.line;
        if (step.lost_write) trace.rows[row].mark = chart::Mark::Stale;
        else if (step.overwritten) trace.rows[row].mark = chart::Mark::Lost;
    }
    size_t shown_rows = w.cycle_from >= 0 ? w.steps.size() + 3 : trace.rows.size();
    if (trace.rows.size() > shown_rows) {
        trace.after_rows = fmt::format("  ... {} more steps{}, the processes on their own in the cycle", trace.rows.size() - shown_rows,
                                       real.log.dropped ? fmt::format(" logged (and {} past the log's end)", real.log.dropped) : "");
        trace.rows.resize(shown_rows);
    }
    return trace;
}

// What the model predicts, as `critsec outcomes` lists it.
std::string predicted_listing(const checker::CompletedWitness& plan, const checker::ModelEnd& predicted) {
    if (predicted.spinning.empty()) return listing(plan.replayed.outcome);
    std::string text;
    for (const auto& line : predicted.state) text += line + "\n";
    text += checker::livelock_line(predicted.spinning, predicted.blocked);
    return listing(text);
}

// The witness forced onto real forked processes, turn by turn.
struct ForcedRun {
    runtime::RunResult real;
    size_t taken = 0;  // turns of the schedule the run took
};

// nullopt with `status` set when the runtime refuses the spec.
std::optional<ForcedRun> run_forced(const ReplayArgs& a, const CommandClock& clock, const model::Program& program,
                                    const checker::CompletedWitness& plan, int& status) {
    runtime::RunOptions options;
    options.time_scale = 0;  // the model ignores time; so does a forced interleaving
    options.no_progress_timeout = a.deadlock_after;
    options.max_run_seconds = std::max(1.0, clock.left());
    options.event_capacity = static_cast<int>(std::max<size_t>(4096, plan.witness.steps.size() + 64));
    options.interrupted = [&clock] { return clock.stop(); };
    ForcedRun run;
    try {
        options.turns = std::make_shared<runtime::TurnSchedule>(compare::schedule_of(plan.witness),
                                                                runtime::checked_instance_count(program, options.max_processes));
        runtime::ForkExecutor executor(program, options);
        run.real = executor.run(0);
        run.taken = options.turns->taken();
    } catch (const runtime::SpecRefused& e) {
        fmt::print(stderr, "{}: refused: {}\n", a.spec, e.what());
        status = exit_code::data_error;
        return std::nullopt;
    }
    return run;
}

// What `critsec replay` found: the plan, the model's end, the real run and the verdict on them.
struct Replay {
    const Chosen& chosen;
    const checker::CompletedWitness& plan;
    const checker::ModelEnd& predicted;
    const ForcedRun& run;
    const compare::ReplayMatch& match;
    std::string shown;  // the violation as the real run shows it
};

void print_json(const model::Program& program, const Replay& r) {
    const runtime::RunResult& real = r.run.real;
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : real.log.events)
        events.push_back({{"seq", e.seq}, {"process", real.names.at(e.instance)}, {"pc", e.pc}, {"what", e.what}});
    nlohmann::json schedule = nlohmann::json::array();
    for (const auto& s : r.plan.witness.steps)
        schedule.push_back({{"process", s.process}, {"step", s.step}, {"line", s.line}, {"action", s.action}, {"note", s.note}});
    fmt::print("{}\n", nlohmann::json{{"spec", program.spec_path},
                                      {"replayed", r.chosen.title},
                                      {"inputs", r.plan.witness.inputs},
                                      {"witness_steps", r.plan.own_steps},
                                      {"schedule", schedule},
                                      {"predicted",
                                       {{"outcome", r.plan.replayed.outcome},
                                        {"state", r.predicted.state},
                                        {"failures", r.predicted.failures},
                                        {"blocked", r.predicted.blocked},
                                        {"main_prints", r.predicted.main_prints}}},
                                      {"real",
                                       {{"outcome", real.outcome()},
                                        {"status", runtime::run_status_name(real.status)},
                                        {"turns_taken", r.run.taken},
                                        {"pids", real.pids},
                                        {"events", events},
                                        {"violation", r.shown}}},
                                      {"reproduced", r.match.agreed()},
                                      {"differences", r.match.differences}}
                           .dump(2));
}

void print_text(const model::Program& program, const Replay& r, const chart::Layout& layout) {
    const checker::Witness& w = r.plan.witness;
    // The header wraps to the terminal as the chart under it does, each line under itself.
    auto header = [&](const std::string& text) { fmt::print("{}", chart::wrapped(text, layout.width, 0, 2)); };
    header(fmt::format("{}: replaying {}", program.spec_path, r.chosen.title));
    if (!w.inputs.empty()) header(fmt::format("inputs: {}", fmt::join(w.inputs, " ")));
    if (r.plan.replayed.witness.cycle_from >= 0)
        header(fmt::format("schedule: {} turns (the witness's {}, its cycle taken {} times), then the processes run on their own",
                           w.steps.size(), r.plan.own_steps, checker::kCycleTurns));
    else
        header(fmt::format("schedule: {} turns ({} from {}, {} more to the end)", w.steps.size(), r.plan.own_steps, r.chosen.source,
                           w.steps.size() - r.plan.own_steps));
    fmt::print("\n");
    fmt::print("the real run (one forked process per instance, each step on its turn):\n{}\n", chart::render_text(marked_trace(r.run.real, w), layout));
    fmt::print("predicted outcome (model):\n");
    fmt::print("{}", predicted_listing(r.plan, r.predicted));
    fmt::print("real outcome (fork runtime):\n    {}\n", r.run.real.outcome());
    std::string shown = r.shown.empty() ? "" : chart::wrapped(r.shown, layout.width, 2, 4);
    if (r.match.agreed() && r.plan.replayed.witness.cycle_from >= 0)
        fmt::print("\n{}{}",
                   chart::wrapped(fmt::format("REPRODUCED: the real processes took the {} predicted steps, then spun on in the cycle until "
                                              "the livelock watch stopped them",
                                              w.steps.size()),
                                  layout.width, 0, 2),
                   shown.empty() ? "" : "  " + shown);
    else if (r.match.agreed())
        fmt::print("\n{}{}",
                   chart::wrapped(fmt::format("REPRODUCED: the real processes took the {} predicted steps and ended as the model predicted",
                                              w.steps.size()),
                                  layout.width, 0, 2),
                   shown.empty() ? "" : "  " + shown);
}

// The witness chosen, run to its end in the model, then forced onto real processes and judged.
int run_replay(const ReplayArgs& a) {
    int status = exit_code::ok;
    bool json = a.format == "json";
    if (!a.property.empty() + !a.outcome.empty() + a.schedule_given > 1) {
        fmt::print(stderr, "critsec replay: --property, --outcome and --schedule choose different witnesses: give one\n");
        return exit_code::usage;
    }
    if (!chart_format_known(a.chart)) return exit_code::usage;
    auto compiled = load_spec(a.spec, json ? Format::Json : Format::Text, status);
    if (!compiled) return status;
    InterruptGuard interrupt({SIGINT});  // Ctrl-C only, as replay always had it (SIGTERM ends critsec)
    CommandClock clock(a.timeout);
    std::optional<std::vector<int64_t>> inputs;
    if (!read_inputs_option(a.inputs, inputs)) return exit_code::usage;
    const model::Program& program = *compiled->program;
    std::optional<Chosen> chosen;
    try {
        chosen = a.schedule_given    ? choose_schedule(a, *compiled, inputs, status)
                 : a.outcome.empty() ? choose_property(a, *compiled, inputs, status)
                                     : choose_outcome(a, *compiled, inputs, status);
    } catch (const checker::InputOutOfRange& e) {
        // Only --inputs gets here (the spec's own line is reported where it is read): a usage error, as in check.
        print_out_of_range(program, e, "--inputs");
        return exit_code::usage;
    }
    if (!chosen) return status;

    checker::PreparedProgram prepared = checker::prepare(program);
    checker::CompletedWitness plan = checker::complete_witness(prepared, chosen->witness);
    if (!plan.problem.empty()) {
        fmt::print(stderr, "critsec replay: internal error: the witness cannot be run to its end: {}\n", plan.problem);
        return exit_code::internal;
    }
    checker::ModelEnd predicted = checker::model_end(program, plan.replayed);
    std::optional<ForcedRun> run = run_forced(a, clock, program, plan, status);
    if (!run) return status;
    if (run->real.status == runtime::RunStatus::Interrupted) {
        fmt::print(stderr, "critsec replay: the forced run was stopped: {}\n", clock.why().empty() ? "interrupted" : clock.why());
        return exit_code::inconclusive;
    }
    compare::name_pids_in_events(run->real);
    compare::ReplayMatch match = compare::match_replay(plan, predicted, run->real, run->taken);
    Replay replay{*chosen, plan, predicted, *run, match, compare::shown_violation(chosen->kind, plan, run->real)};
    if (chosen->kind && replay.shown.empty()) match.differences.push_back("the real run does not show the violation");
    if (json) print_json(program, replay);
    else print_text(program, replay, terminal_layout(a.color));
    if (a.chart.wanted()) {
        int written = write_chart_file(a.chart, program.spec_path + ": replaying " + chosen->title,
                                       {{"the real run, each step on its turn", marked_trace(run->real, plan.witness)}});
        if (written != exit_code::ok) return written;
    }
    if (!match.agreed()) {
        fmt::print(stderr, "\ncritsec replay: MODEL AND MACHINE DISAGREE on {}:\n", program.spec_path);
        for (const auto& d : match.differences) fmt::print(stderr, "  - {}\n", d);
        return exit_code::violated;
    }
    return exit_code::ok;
}

}  // namespace

void add_replay_command(CLI::App& app, int& exit_status) {
    auto* cmd = app.add_subcommand(
        "replay", "Force a checker counterexample's interleaving on real forked processes and show the predicted outcome happen");
    auto args = std::make_shared<ReplayArgs>();
    cmd->add_option("spec", args->spec, "the spec (.crit)")->required();
    cmd->add_option("--property", args->property,
                    "the property to replay, by key (lost-update, assert@37, deadlock) or name; default: the first violated");
    cmd->add_option("--outcome", args->outcome,
                    "replay the witness of this reachable outcome (its text, one of its lines, or a part of it)");
    auto* schedule =
        cmd->add_option("--schedule", args->schedule,
                        "replay this interleaving: a `schedule:` line of `critsec outcomes` (\"main.1 Adder#1.1 Adder#1.2 ...\"), run to "
                        "the end round robin if it stops before; main's draws from --inputs (default: the spec's `# fixed-inputs:`), "
                        "children's at their range's low end");
    cmd->add_option("--inputs", args->inputs, "fix main's randint draws, in order: \"3 4 1 2\"");
    cmd->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
    cmd->add_option("--bound", args->bound, "iterations of each while loop explored")->check(CLI::Range(0, 1000000))->capture_default_str();
    cmd->add_option("--max-states", args->max_states, "stop the explorer after this many states");
    cmd->add_option("--deadlock-after", args->deadlock_after, "seconds without any real step before the run counts as stuck")
        ->check(CLI::Range(0.01, 600.0))
        ->capture_default_str();
    cmd->add_option("--timeout", args->timeout, "seconds the whole command may take: the search for the witness, then the run")
        ->check(CLI::Range(0.1, 86400.0))
        ->capture_default_str();
    add_color_option(cmd, args->color);
    add_chart_option(cmd, args->chart, "the real run, with the model's marks");
    cmd->callback([args, schedule, &exit_status] {
        args->schedule_given = schedule->count() > 0;
        exit_status = run_replay(*args);
    });
}

}  // namespace critsec::cli
