#include "cli/check_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "chart/text_fit.hpp"
#include "checker/engines.hpp"
#include "checker/explorer/properties.hpp"
#include "checker/input_errors.hpp"
#include "checker/witness/trace_render.hpp"
#include "cli/budget_options.hpp"
#include "cli/chart_file.hpp"
#include "cli/hard_deadline.hpp"
#include "cli/exit_codes.hpp"
#include "cli/load_spec.hpp"
#include "cli/main_inputs.hpp"
#include "cli/terminal.hpp"
#include "model/expectations.hpp"

namespace critsec::cli {
namespace {

// Which engines decided the verdicts, in the order they were asked:
// "decided by induction (4)", "decided by shape (2), explorer (2; 1,234 states)".
std::string deciders(const checker::SpecCheck& check) {
    std::vector<std::pair<std::string, int>> counts;
    for (const auto& e : check.decided_by) {
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == e; });
        if (it == counts.end()) counts.emplace_back(e, 1);
        else ++it->second;
    }
    std::vector<std::string> parts;
    for (const auto& [engine, n] : counts) {
        std::string extra;
        if (engine == "explorer") extra = fmt::format("; {} states", check.states);
        if (engine == "z3") extra = fmt::format("; {:.3f} s", check.z3_seconds);
        parts.push_back(fmt::format("{} ({}{})", engine, n, extra));
    }
    return "decided by " + fmt::format("{}", fmt::join(parts, ", "));
}

int exit_for(const std::vector<checker::PropertyResult>& results) {
    bool violated = false, inconclusive = false;
    for (const auto& r : results) {
        // An assert no execution reaches is a defect of the spec, as a violation is.
        violated = violated || r.verdict == checker::Verdict::Violated || r.verdict == checker::Verdict::Unreached;
        inconclusive = inconclusive || r.verdict == checker::Verdict::Bounded || r.verdict == checker::Verdict::Unknown;
    }
    return violated ? exit_code::violated : inconclusive ? exit_code::inconclusive : exit_code::ok;
}

struct CheckArgs {
    std::string spec;
    std::string format = "text";
    std::string inputs;
    int bound = 8;
    size_t max_states = 1'000'000;
    std::string engine = "auto";
    BudgetArgs budget{30};
    std::string color = "auto";
    ChartFile chart;
};

void print_json(const model::Program& program, const checker::SpecCheck& check, const std::string& engine) {
    nlohmann::json props = nlohmann::json::array();
    for (size_t i = 0; i < check.properties.size(); ++i) {
        const auto& r = check.properties[i];
        nlohmann::json j{{"name", r.name},
                         {"key", r.key},
                         {"verdict", checker::verdict_name(r.verdict)},
                         {"detail", r.detail},
                         {"engine", check.decided_by[i]}};
        if (r.witness) j["witness"] = checker::itf_of(program, *r.witness, r.name + ": " + r.detail);
        props.push_back(j);
    }
    fmt::print("{}\n", nlohmann::json{{"spec", program.spec_path},
                                      {"engine", engine},
                                      {"inputs", check.scope_text},
                                      {"states", check.states},
                                      {"seconds", check.seconds},
                                      {"z3_seconds", check.z3_seconds},
                                      {"properties", props}}
                           .dump(2));
}

chart::Paint paint_of(checker::Verdict v) {
    bool bad = v == checker::Verdict::Violated || v == checker::Verdict::Unreached;  // an assert never reached checks nothing
    return bad ? chart::Paint::Bad : v == checker::Verdict::Proved ? chart::Paint::Good : chart::Paint::Undecided;
}

void print_text(const model::Program& program, const checker::SpecCheck& check, const chart::Layout& layout) {
    fmt::print("{}", chart::wrapped(fmt::format("{}: {}; {}; {:.3f} s", program.spec_path, check.scope_text, deciders(check), check.seconds),
                                    layout.width, 0, 2));
    size_t width = 14;
    for (const auto& r : check.properties) width = std::max(width, r.name.size());
    bool mixed =
        std::any_of(check.decided_by.begin(), check.decided_by.end(), [&](const std::string& e) { return e != check.decided_by.front(); });
    for (size_t i = 0; i < check.properties.size(); ++i) {
        const auto& r = check.properties[i];
        // The detail wraps under itself, the verdict and the name standing out on the left.
        std::string lead = fmt::format("  {:<9} {:<{}}  ", checker::verdict_name(r.verdict), r.name, width);
        std::string detail = (mixed ? fmt::format("[{}] ", check.decided_by[i]) : "") + r.detail;
        std::string verdict = layout.palette.paint(checker::verdict_name(r.verdict), paint_of(r.verdict));
        fmt::print("  {}{}{}", verdict, lead.substr(2 + std::string(checker::verdict_name(r.verdict)).size()),
                   chart::wrapped(detail, layout.width, chart::display_width(lead), chart::display_width(lead)));
    }
    for (const auto& e : check.unknown_watches)
        fmt::print(stderr, "{}:{}: warning: the expectation names a process, or a line with no step of it, that this spec does not have\n",
                   program.spec_path, e.loc.line);
    for (const auto& r : check.properties) {
        if (!r.witness || r.verdict != checker::Verdict::Violated) continue;
        fmt::print("\ncounterexample: {}\n{}", r.name, checker::chart_of(program, *r.witness, layout));
    }
}

int run_check(const CheckArgs& a) {
    Format format = a.format == "json" ? Format::Json : Format::Text;
    if (!chart_format_known(a.chart)) return exit_code::usage;
    int status = exit_code::ok;
    auto compiled = load_spec(a.spec, format, status);
    if (!compiled) return status;
    const model::Program& program = *compiled->program;
    checker::ExplorerSettings settings;
    settings.options.bound = a.bound;
    settings.max_states = a.max_states;
    settings.options.timeout_seconds = a.budget.seconds;
    checker::Budget budget = make_budget(a.budget, format == Format::Text);
    settings.options.budget = &budget;
    if (!read_inputs_option(a.inputs, settings.options.fixed_inputs)) return exit_code::usage;
    for (const auto& e : parse_expectations(compiled->source).expectations)
        if (checker::is_watch(e)) settings.watches.push_back(e);
    checker::Engine which = a.engine == "z3"         ? checker::Engine::Z3
                            : a.engine == "explorer" ? checker::Engine::Explorer
                                                     : checker::Engine::Auto;
    checker::SpecCheck check;
    try {
        HardDeadline guard(a.budget.seconds, "check " + a.spec);
        check = checker::check_spec(program, settings, which);
        budget.clear_progress();
    } catch (const checker::InputOutOfRange& e) {
        print_out_of_range(program, e, "--inputs");
        return exit_code::usage;
    }
    if (format == Format::Json) print_json(program, check, a.engine);
    else print_text(program, check, terminal_layout(a.color));
    if (a.chart.wanted()) {
        std::vector<chart::TitledTrace> charts;
        for (const auto& r : check.properties)
            if (r.witness && r.verdict == checker::Verdict::Violated)
                charts.push_back({"counterexample: " + r.name, checker::trace_for(program, *r.witness)});
        int written = write_chart_file(a.chart, program.spec_path + (charts.empty() ? ": no property is violated" : ""), charts);
        if (written != exit_code::ok) return written;
    }
    return exit_for(check.properties);
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_status) {
    auto* cmd = app.add_subcommand("check", "Decide every property: PROVED, VIOLATED (with a counterexample), BOUNDED or UNKNOWN");
    auto args = std::make_shared<CheckArgs>();
    cmd->add_option("spec", args->spec, "the spec file (.crit)")->required();
    cmd->add_option("--format", args->format, "text or json (counterexamples in Apalache's ITF)")->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--inputs", args->inputs, "fix main's randint draws, in order: \"3 4 1 2\"");
    cmd->add_option("--bound", args->bound, "iterations of each while loop explored (default 8)")->check(CLI::Range(0, 1000000));
    cmd->add_option("--max-states", args->max_states, "stop the explorer after this many states (the verdicts become UNKNOWN)");
    cmd->add_option("--engine", args->engine,
                    "auto (inductive invariant, shape proofs, a short search for races, the explorer, then Z3 for what is left), "
                    "explorer (explicit-state, no Z3) or z3")
        ->check(CLI::IsMember({"auto", "explorer", "z3"}));
    add_budget_options(cmd, args->budget, "the whole check");
    add_color_option(cmd, args->color);
    add_chart_option(cmd, args->chart, "the counterexamples");
    cmd->callback([args, &exit_status] { exit_status = run_check(*args); });
}

}  // namespace critsec::cli
