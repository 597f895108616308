#include "cli/replay_command.hpp"

#include <fmt/format.h>

#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "checker/input_errors.hpp"
#include "checker/outcomes.hpp"
#include "checker/explorer/properties.hpp"
#include "checker/witness/witness_completion.hpp"
#include "cli/check_command.hpp"
#include "cli/exit_codes.hpp"
#include "cli/interrupt_guard.hpp"
#include "cli/load_spec.hpp"
#include "compare/replay_match.hpp"
#include "compare/witness_schedule.hpp"
#include "model/expectations.hpp"
#include "runtime/fork_executor.hpp"
#include "runtime/turn_schedule.hpp"

namespace critsec::cli {
namespace {

struct ReplayArgs {
    std::string spec;
    std::string property;  // key or name; "" is the first violated one
    std::string outcome;   // replay this outcome's witness instead
    std::string inputs;
    std::string format = "text";
    int bound = 8;
    size_t max_states = 1'000'000;
    double timeout = 5;
};

// What is replayed: a property's counterexample or an outcome's witness.
struct Chosen {
    std::string title;                      // "lost update [lost-update]: VIOLATED ..." or "outcome ..."
    std::optional<checker::PropertyKind> kind;
    checker::Witness witness;
};

std::string indent(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += "    " + l + "\n";
    return out.empty() ? "    (nothing)\n" : out;
}

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

// Chooses the witness; nullopt with `status` set when there is none (or the arguments are wrong).
std::optional<Chosen> choose(const ReplayArgs& a, const Compiled& compiled, std::optional<std::vector<int64_t>> inputs, int& status) {
    const model::Program& program = *compiled.program;
    if (!a.outcome.empty()) {
        checker::OutcomeSettings settings;
        settings.options.bound = a.bound;
        settings.max_states = a.max_states;
        settings.options.fixed_inputs = inputs;
        checker::OutcomeReport report = checker::enumerate_outcomes(program, settings);
        if (!report.complete && !inputs) {
            // As `critsec outcomes` does: too many input combinations, take the spec's own fixed inputs.
            SpecExpectations e = parse_expectations(compiled.source);
            if (e.fixed_inputs) {
                settings.options.fixed_inputs = std::vector<int64_t>(e.fixed_inputs->begin(), e.fixed_inputs->end());
                try {
                    report = checker::enumerate_outcomes(program, settings);
                } catch (const checker::InputOutOfRange& x) {
                    fmt::print(stderr, "{}:{}: error: `# fixed-inputs:`: {}\n", program.spec_path, x.line, x.what());
                    status = exit_code::data_error;
                    return std::nullopt;
                }
            }
        }
        size_t matches = 0;
        const checker::Outcome* o = find_outcome(report, a.outcome, matches);
        if (!o) {
            fmt::print(stderr, "critsec replay: no reachable outcome ({}, {}) matches `{}`{}\n", report.scope_text,
                       report.complete ? fmt::format("{} outcomes", report.outcomes.size()) : "not enumerated: " + report.incomplete,
                       a.outcome, report.outcomes.empty() ? "" : "; `critsec outcomes` lists them");
            status = exit_code::inconclusive;
            return std::nullopt;
        }
        Chosen c{fmt::format("outcome ({}; {} matched, the first taken)", report.scope_text, matches), std::nullopt, o->witness};
        return c;
    }
    checker::ExplorerSettings settings;
    settings.options.bound = a.bound;
    settings.max_states = a.max_states;
    settings.options.fixed_inputs = inputs;
    for (const auto& e : parse_expectations(compiled.source).expectations)
        if (checker::is_watch(e)) settings.watches.push_back(e);
    checker::ExplorerCheck check = checker::check_with_explorer(program, settings);
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
        else
            fmt::print(stderr, "critsec replay: no property is violated ({}): no counterexample to replay\n", check.scope_text);
        status = exit_code::inconclusive;
        return std::nullopt;
    }
    Chosen c{fmt::format("{} [{}]: {}, {}", chosen->name, chosen->key, checker::verdict_name(chosen->verdict), chosen->detail), chosen->kind,
             *chosen->witness};
    return c;
}

// The real run's chart, with the model's marks (the lost write, the stale store) beside the rows.
std::string marked_chart(const runtime::RunResult& real, const checker::Witness& w) {
    std::string chart = runtime::render_sequence_chart(real.log.events, real.names), out;
    size_t start = 0;
    int row = -1;  // the first line is the header
    while (start < chart.size()) {
        size_t nl = chart.find('\n', start);
        if (nl == std::string::npos) nl = chart.size();
        std::string line = chart.substr(start, nl - start);
        if (row >= 0 && row < static_cast<int>(w.steps.size()) && !w.steps[row].note.empty()) line += "    <- " + w.steps[row].note;
        out += line + "\n";
        start = nl + 1;
        ++row;
    }
    return out;
}

int execute(const ReplayArgs& a) {
    int status = exit_code::ok;
    bool json = a.format == "json";
    if (!a.property.empty() && !a.outcome.empty()) {
        fmt::print(stderr, "critsec replay: --property and --outcome choose different witnesses: give one\n");
        return exit_code::usage;
    }
    auto compiled = load_spec(a.spec, json ? Format::Json : Format::Text, status);
    if (!compiled) return status;
    std::optional<std::vector<int64_t>> inputs;
    if (!a.inputs.empty()) {
        inputs = parse_input_list(a.inputs);
        if (!inputs) {
            fmt::print(stderr, "critsec: --inputs wants integers, e.g. --inputs \"3 4 1 2\"\n");
            return exit_code::usage;
        }
    }
    const model::Program& program = *compiled->program;
    std::optional<Chosen> chosen;
    try {
        chosen = choose(a, *compiled, inputs, status);
    } catch (const checker::InputOutOfRange& e) {
        // Only --inputs gets here (choose() reports the spec's own line): a usage error, as in check.
        fmt::print(stderr, "{}:{}: error: --inputs: {}\n", program.spec_path, e.line, e.what());
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

    InterruptGuard interrupt({SIGINT});  // Ctrl-C only, as replay always had it (SIGTERM ends critsec)
    runtime::RunOptions options;
    options.time_scale = 0;  // the model ignores time; so does a forced interleaving
    options.no_progress_timeout = a.timeout;
    options.max_run_seconds = std::max(60.0, a.timeout * 4);
    options.event_capacity = static_cast<int>(std::max<size_t>(4096, plan.witness.steps.size() + 64));
    options.interrupted = InterruptGuard::raised;
    runtime::RunResult real;
    size_t taken = 0;
    try {
        options.turns = std::make_shared<runtime::TurnSchedule>(compare::schedule_of(plan.witness),
                                                                runtime::checked_instance_count(program, options.max_processes));
        runtime::ForkExecutor executor(program, options);
        real = executor.run(0);
        taken = options.turns->taken();
    } catch (const runtime::SpecRefused& e) {
        fmt::print(stderr, "{}: refused: {}\n", a.spec, e.what());
        return exit_code::data_error;
    }
    if (real.status == runtime::RunStatus::Interrupted) return exit_code::inconclusive;
    compare::name_pids_in_events(real);
    compare::ReplayMatch match = compare::match_replay(plan, predicted, real, taken);
    std::string shown = compare::shown_violation(chosen->kind, plan, real);
    if (chosen->kind && shown.empty()) match.differences.push_back("the real run does not show the violation");

    if (json) {
        nlohmann::json events = nlohmann::json::array();
        for (const auto& e : real.log.events)
            events.push_back({{"seq", e.seq}, {"process", real.names.at(e.instance)}, {"pc", e.pc}, {"what", e.what}});
        nlohmann::json schedule = nlohmann::json::array();
        for (const auto& s : plan.witness.steps)
            schedule.push_back({{"process", s.process}, {"step", s.step}, {"line", s.line}, {"action", s.action}, {"note", s.note}});
        fmt::print("{}\n", nlohmann::json{{"spec", program.spec_path},
                                          {"replayed", chosen->title},
                                          {"inputs", plan.witness.inputs},
                                          {"witness_steps", plan.own_steps},
                                          {"schedule", schedule},
                                          {"predicted", {{"outcome", plan.replayed.outcome},
                                                         {"state", predicted.state},
                                                         {"failures", predicted.failures},
                                                         {"blocked", predicted.blocked},
                                                         {"main_tail", predicted.main_tail}}},
                                          {"real", {{"outcome", real.outcome()},
                                                    {"status", runtime::run_status_name(real.status)},
                                                    {"turns_taken", taken},
                                                    {"pids", real.pids},
                                                    {"events", events},
                                                    {"violation", shown}}},
                                          {"reproduced", match.agreed()},
                                          {"differences", match.differences}}
                               .dump(2));
    } else {
        fmt::print("{}: replaying {}\n", program.spec_path, chosen->title);
        if (!plan.witness.inputs.empty()) fmt::print("inputs: {}\n", fmt::join(plan.witness.inputs, " "));
        fmt::print("schedule: {} turns ({} from the witness, {} more to the end)\n\n", plan.witness.steps.size(), plan.own_steps,
                   plan.witness.steps.size() - plan.own_steps);
        fmt::print("the real run (one forked process per instance, each step on its turn):\n{}\n", marked_chart(real, plan.witness));
        fmt::print("predicted outcome (model):\n");
        std::vector<std::string> model_lines;
        size_t start = 0;
        while (start < plan.replayed.outcome.size()) {
            size_t nl = plan.replayed.outcome.find('\n', start);
            if (nl == std::string::npos) nl = plan.replayed.outcome.size();
            model_lines.push_back(plan.replayed.outcome.substr(start, nl - start));
            start = nl + 1;
        }
        fmt::print("{}", indent(model_lines));
        fmt::print("real outcome (fork runtime):\n{}", indent({real.outcome()}));
        if (match.agreed())
            fmt::print("\nREPRODUCED: the real processes took the {} predicted steps and ended as the model predicted{}\n",
                       plan.witness.steps.size(), shown.empty() ? "" : "\n  " + shown);
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
    auto* cmd = app.add_subcommand("replay", "Force a checker counterexample's interleaving on real forked processes and show the predicted outcome happen");
    auto args = std::make_shared<ReplayArgs>();
    cmd->add_option("spec", args->spec, "the spec (.crit)")->required();
    cmd->add_option("--property", args->property, "the property to replay, by key (lost-update, assert@37, deadlock) or name; default: the first violated");
    cmd->add_option("--outcome", args->outcome, "replay the witness of this reachable outcome (its text, one of its lines, or a part of it)");
    cmd->add_option("--inputs", args->inputs, "fix main's randint draws, in order: \"3 4 1 2\"");
    cmd->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
    cmd->add_option("--bound", args->bound, "iterations of each while loop explored")->check(CLI::Range(0, 1000000))->capture_default_str();
    cmd->add_option("--max-states", args->max_states, "stop the explorer after this many states");
    cmd->add_option("--timeout", args->timeout, "seconds without any real step before the run counts as stuck")
        ->check(CLI::Range(0.01, 600.0))
        ->capture_default_str();
    cmd->callback([args, &exit_status] { exit_status = execute(*args); });
}

}  // namespace critsec::cli
