#include "cli/outcomes_command.hpp"

#include <fmt/format.h>

#include <chrono>

#include <nlohmann/json.hpp>

#include "chart/text_fit.hpp"
#include "checker/outcomes.hpp"
#include "checker/witness/schedule_text.hpp"
#include "checker/witness/trace_render.hpp"
#include "cli/budget_options.hpp"
#include "cli/chart_file.hpp"
#include "cli/hard_deadline.hpp"
#include "cli/exit_codes.hpp"
#include "cli/indent.hpp"
#include "cli/load_spec.hpp"
#include "cli/main_inputs.hpp"
#include "cli/terminal.hpp"

namespace critsec::cli {
namespace {

struct OutcomesArgs {
    std::string spec;
    std::string format = "text";
    std::string inputs;
    uint64_t seed = 0;
    bool seed_given = false;
    int bound = 8;
    bool charts = false;
    size_t max_states = checker::kOutcomeStateBudget;
    std::string search = "auto";
    BudgetArgs budget{60};
    std::string color = "auto";
    ChartFile chart;
};

// The first lines of an outcome, for a chart's title.
std::string headline(const std::string& text) {
    std::string line = text.substr(0, text.find('\n'));
    return line.empty() ? "(no shared state, nothing printed)" : line;
}

constexpr size_t kMostCharts = 40;  // an SVG of hundreds of witnesses helps nobody

void print_json(const model::Program& program, const ListedOutcomes& listed, double seconds) {
    const checker::OutcomeReport& report = listed.report;
    nlohmann::json list = nlohmann::json::array();
    for (const auto& o : report.outcomes)
        list.push_back({{"outcome", o.text},
                        {"serial", o.serial},
                        {"inputs", o.witness.inputs},
                        {"schedule", checker::schedule_text(o.witness)},  // as `replay --schedule` takes it
                        {"witness", checker::itf_of(program, o.witness, "a witness of this outcome")}});
    fmt::print("{}\n", nlohmann::json{{"spec", program.spec_path},
                                      {"inputs", report.scope_text},
                                      {"complete", report.complete && !report.bound_hit},
                                      {"incomplete", report.incomplete},
                                      {"note", listed.note},
                                      {"states", report.states},
                                      {"search", report.compiled ? "compiled" : "explorer"},
                                      {"compiled_declined", report.compiled_declined},
                                      {"seconds", seconds},
                                      {"outcomes", list}}
                           .dump(2));
}

void print_text(const model::Program& program, const ListedOutcomes& listed, double seconds, const OutcomesArgs& a) {
    const checker::OutcomeReport& report = listed.report;
    size_t serial = 0;
    for (const auto& o : report.outcomes) serial += o.serial;
    if (!listed.note.empty()) fmt::print("note: {}\n", listed.note);
    std::string engine = report.compiled ? "compiled search" : "explorer";
    if (report.complete)
        fmt::print("{}: {} reachable outcome{} ({} serial), {}, {} states ({}) in {:.3f} s\n", program.spec_path, report.outcomes.size(),
                   report.outcomes.size() == 1 ? "" : "s", serial, report.scope_text, report.states + report.serial_states, engine,
                   seconds);
    else
        fmt::print("{}: outcomes not all enumerated ({} found), {}, {} states ({}) in {:.3f} s\n", program.spec_path,
                   report.outcomes.size(), report.scope_text, report.states, engine, seconds);
    if (!report.complete) fmt::print("INCOMPLETE: {}\n", report.incomplete);
    if (report.bound_hit)
        fmt::print("BOUNDED: some executions were cut at {} iterations of a while loop; outcomes beyond it are missing{}\n", a.bound,
                   report.loops_note.empty() ? "" : fmt::format(" ({})", report.loops_note));
    chart::Layout layout = terminal_layout(a.color);
    chart::Layout indented = layout;
    indented.width = layout.width > 2 ? layout.width - 2 : layout.width;
    int n = 0;
    for (const auto& o : report.outcomes) {
        fmt::print("\noutcome {}{}\n", ++n, o.serial ? "  (serial)" : "  (no serial execution reaches it)");
        fmt::print("{}", indent(o.text.empty() ? "(no shared state, nothing printed)\n" : o.text, "    "));
        // Wrapped at spaces, a schedule pastes whole into `replay --schedule "..."`.
        if (!o.witness.inputs.empty()) fmt::print("  inputs:   {}", chart::wrapped(fmt::format("{}", fmt::join(o.witness.inputs, " ")), layout.width, 12, 12));
        fmt::print("  schedule: {}", chart::wrapped(checker::schedule_text(o.witness), layout.width, 12, 12));
        if (a.charts) fmt::print("{}", indent(checker::chart_of(program, o.witness, indented), "  "));
    }
}

int run_outcomes(const OutcomesArgs& a) {
    Format format = a.format == "json" ? Format::Json : Format::Text;
    if (!chart_format_known(a.chart)) return exit_code::usage;
    int status = exit_code::ok;
    auto compiled = load_spec(a.spec, format, status);
    if (!compiled) return status;
    const model::Program& program = *compiled->program;
    checker::OutcomeSettings settings;
    settings.options.bound = a.bound;
    settings.max_states = a.max_states;
    settings.compiled = a.search == "auto";
    checker::Budget budget = make_budget(a.budget, format == Format::Text);
    settings.options.budget = &budget;
    settings.options.timeout_seconds = a.budget.seconds;
    if (!read_inputs_option(a.inputs, settings.options.fixed_inputs)) return exit_code::usage;
    if (a.seed_given) settings.seed = a.seed;
    auto t0 = std::chrono::steady_clock::now();
    std::optional<ListedOutcomes> listed;
    try {
        HardDeadline guard(a.budget.seconds, "outcomes " + a.spec, "the outcome search");
        listed = list_outcomes(*compiled, settings);
        budget.clear_progress();
    } catch (const checker::InputOutOfRange& e) {
        print_out_of_range(program, e, "--inputs");
        return exit_code::usage;
    }
    if (!listed) return exit_code::data_error;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (format == Format::Json) print_json(program, *listed, seconds);
    else print_text(program, *listed, seconds, a);
    if (a.chart.wanted()) {
        std::vector<chart::TitledTrace> charts;
        const auto& outcomes = listed->report.outcomes;
        for (size_t i = 0; i < outcomes.size() && i < kMostCharts; ++i)
            charts.push_back({fmt::format("outcome {}: {}", i + 1, headline(outcomes[i].text)), checker::trace_for(program, outcomes[i].witness)});
        std::string caption = outcomes.size() > kMostCharts
                                  ? fmt::format("{}: the first {} of {} outcomes", program.spec_path, kMostCharts, outcomes.size())
                                  : fmt::format("{}: {} outcomes", program.spec_path, outcomes.size());
        int written = write_chart_file(a.chart, caption, charts);
        if (written != exit_code::ok) return written;
    }
    return listed->report.complete && !listed->report.bound_hit ? exit_code::ok : exit_code::inconclusive;
}

}  // namespace

void add_outcomes_command(CLI::App& app, int& exit_status) {
    auto* cmd =
        app.add_subcommand("outcomes", "Every reachable final outcome, each with one witness; marks those no serial execution reaches");
    auto args = std::make_shared<OutcomesArgs>();
    auto* seed_opt = cmd->add_option("--seed", args->seed, "draw main's randint inputs from this seed");
    cmd->add_option("spec", args->spec, "the spec file (.crit)")->required();
    cmd->add_option("--format", args->format, "text or json (witnesses in Apalache's ITF)")->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--inputs", args->inputs, "fix main's randint draws, in order: \"3 4 1 2\"")->excludes(seed_opt);
    cmd->add_option("--bound", args->bound, "iterations of each while loop explored (default 8)")->check(CLI::Range(0, 1000000));
    cmd->add_option("--max-states", args->max_states, "stop after this many states");
    cmd->add_flag("--charts", args->charts, "print each witness as a sequence chart");
    add_color_option(cmd, args->color);
    add_chart_option(cmd, args->chart, "each outcome's witness (the first 40)");
    add_budget_options(cmd, args->budget, "the enumeration");
    cmd->add_option("--search", args->search,
                    "auto: the compiled search where the spec has its shape (straight-line children over Values, Arrays "
                    "and Locks), the explorer otherwise; explorer: the explorer always")
        ->check(CLI::IsMember({"auto", "explorer"}));
    cmd->callback([args, seed_opt, &exit_status] {
        args->seed_given = seed_opt->count() > 0;
        exit_status = run_outcomes(*args);
    });
}

}  // namespace critsec::cli
