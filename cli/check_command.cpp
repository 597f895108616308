#include "cli/check_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "chart/text_fit.hpp"
#include "checker/claims.hpp"
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
    std::vector<std::string> specs;
    std::string format = "text";
    std::string inputs;
    int bound = 8;
    size_t max_states = 1'000'000;
    std::string engine = "auto";
    BudgetArgs budget{30};
    std::string color = "auto";
    bool full_trace = false;
    ChartFile chart;
};

nlohmann::json claims_json(const std::vector<checker::ClaimResult>& claims) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : claims)
        out.push_back({{"line", c.claim.loc.line}, {"stated", c.stated}, {"status", checker::claim_status_name(c.status)}, {"found", c.found}});
    return out;
}

nlohmann::json check_json(const model::Program& program, const checker::SpecCheck& check, const std::string& engine,
                          const std::vector<checker::ClaimResult>& claims) {
    nlohmann::json props = nlohmann::json::array();
    for (size_t i = 0; i < check.properties.size(); ++i) {
        const auto& r = check.properties[i];
        nlohmann::json j{{"name", r.name},
                         {"key", r.key},
                         {"verdict", checker::verdict_name(r.verdict)},
                         {"detail", r.detail},
                         {"engine", check.decided_by[i]}};
        if (r.witness) {
            j["witness"] = checker::itf_of(program, *r.witness, r.name + ": " + r.detail);
            // The ITF holds every step; these are the ones a chart folds (from 1, as its rows).
            nlohmann::json folded = nlohmann::json::array();
            for (size_t k = 0; k < r.witness->steps.size(); ++k)
                if (!r.witness->steps[k].involved) folded.push_back(k + 1);
            j["folded_rows"] = folded;
        }
        props.push_back(j);
    }
    return nlohmann::json{{"spec", program.spec_path},     {"engine", engine},         {"inputs", check.scope_text},
                          {"states", check.states},        {"seconds", check.seconds}, {"z3_seconds", check.z3_seconds},
                          {"properties", props},           {"claims", claims_json(claims)}};
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

// The spec's own `# expect:` lines, held against what this check found: a
// student sees which of their claims hold before anyone grades them.
void print_claims(const std::vector<checker::ClaimResult>& claims, const chart::Layout& layout) {
    if (claims.empty()) return;
    fmt::print("\nclaims stated in the spec (# expect: lines):\n");
    for (const auto& c : claims) {
        auto paint = c.status == checker::ClaimStatus::Confirmed ? chart::Paint::Good
                     : c.status == checker::ClaimStatus::Refuted ? chart::Paint::Bad
                                                                 : chart::Paint::Undecided;
        std::string status = checker::claim_status_name(c.status);
        std::string lead = fmt::format("  {:<10} line {:<4} ", status, c.claim.loc.line);
        std::string text = c.stated + (c.status == checker::ClaimStatus::Confirmed ? "" : "; the checker finds " + c.found);
        fmt::print("  {}{}{}", layout.palette.paint(status, paint), lead.substr(2 + status.size()),
                   chart::wrapped(text, layout.width, chart::display_width(lead), chart::display_width(lead)));
    }
}

// What one spec's check left for the end: its JSON, its charts, its exit status.
struct Checked {
    std::optional<nlohmann::json> json;
    std::vector<chart::TitledTrace> charts;
    int status = exit_code::ok;
};

Checked check_one(const CheckArgs& a, const std::string& spec) {
    Format format = a.format == "json" ? Format::Json : Format::Text;
    Checked out;
    auto compiled = load_spec(spec, format, out.status);
    if (!compiled) return out;
    const model::Program& program = *compiled->program;
    checker::ExplorerSettings settings;
    settings.options.bound = a.bound;
    settings.max_states = a.max_states;
    settings.options.timeout_seconds = a.budget.seconds;
    checker::Budget budget = make_budget(a.budget, format == Format::Text);
    settings.options.budget = &budget;
    if (!read_inputs_option(a.inputs, settings.options.fixed_inputs)) return {std::nullopt, {}, exit_code::usage};
    SpecExpectations expectations = parse_expectations(compiled->source);
    for (const auto& e : expectations.expectations)
        if (checker::is_watch(e)) settings.watches.push_back(e);
    checker::Engine which = a.engine == "z3"         ? checker::Engine::Z3
                            : a.engine == "explorer" ? checker::Engine::Explorer
                                                     : checker::Engine::Auto;
    checker::SpecVerdicts judged;
    try {
        HardDeadline guard(a.budget.seconds, "check " + spec,
                           which == checker::Engine::Explorer ? "the explorer" : "the checker (the Z3 solver, most likely)");
        checker::SpecCheck check = checker::check_spec(program, settings, which);
        judged = checker::judge_claims_against(program, expectations, std::move(check), &budget, a.max_states);
        budget.clear_progress();
    } catch (const checker::InputOutOfRange& e) {
        print_out_of_range(program, e, "--inputs");
        return {std::nullopt, {}, exit_code::usage};
    }
    const checker::SpecCheck& check = judged.check;
    chart::Layout layout = terminal_layout(a.color);
    layout.fold = !a.full_trace;
    layout.fold_hint = "(not involved: steps the violation does not depend on; --full-trace draws every step)";
    if (format == Format::Json) {
        out.json = check_json(program, check, a.engine, judged.claims);
    } else {
        print_text(program, check, layout);
        print_claims(judged.claims, layout);
    }
    for (const auto& r : check.properties)
        if (a.chart.wanted() && r.witness && r.verdict == checker::Verdict::Violated)
            out.charts.push_back({(a.specs.size() > 1 ? spec + ": " : "") + "counterexample: " + r.name, checker::trace_for(program, *r.witness)});
    out.status = exit_for(check.properties);
    if (judged.refuted > 0 && out.status == exit_code::ok) out.status = exit_code::violated;
    return out;
}

// Of several specs' exit statuses, the one that says most: a bug of ours, the
// system, an unreadable or broken spec, a usage error, a violation, then inconclusive.
int worst(int a, int b) {
    const int order[] = {exit_code::internal, exit_code::os_error,  exit_code::no_input,     exit_code::data_error,
                         exit_code::usage,    exit_code::violated,  exit_code::inconclusive, exit_code::ok};
    for (int code : order)
        if (a == code || b == code) return code;
    return std::max(a, b);
}

int run_check(const CheckArgs& a) {
    if (!chart_format_known(a.chart)) return exit_code::usage;
    int status = exit_code::ok;
    nlohmann::json all = nlohmann::json::array();
    std::vector<chart::TitledTrace> charts;
    for (size_t i = 0; i < a.specs.size(); ++i) {
        if (i > 0 && a.format != "json") fmt::print("\n");
        Checked one = check_one(a, a.specs[i]);
        status = worst(status, one.status);
        if (one.json) all.push_back(std::move(*one.json));
        for (auto& c : one.charts) charts.push_back(std::move(c));
    }
    // One spec: its object, as always; several: an array of them.
    if (a.format == "json" && !all.empty()) fmt::print("{}\n", (a.specs.size() == 1 ? all[0] : all).dump(2));
    if (a.chart.wanted()) {
        std::string caption = a.specs.size() == 1 ? a.specs[0] : fmt::format("{} specs", a.specs.size());
        int written = write_chart_file(a.chart, caption + (charts.empty() ? ": no property is violated" : ""), charts);
        if (written != exit_code::ok) return written;
    }
    return status;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_status) {
    auto* cmd = app.add_subcommand("check", "Decide every property: PROVED, VIOLATED (with a counterexample), BOUNDED or UNKNOWN");
    auto args = std::make_shared<CheckArgs>();
    cmd->add_option("spec", args->specs, "the specs (.crit) or Python programs (.py), each checked on its own")->required();
    cmd->add_option("--format", args->format, "text or json (counterexamples in Apalache's ITF)")->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--inputs", args->inputs, "fix main's randint draws, in order: \"3 4 1 2\"");
    cmd->add_option("--bound", args->bound, "iterations of each while loop explored (default 8)")->check(CLI::Range(0, 1000000));
    cmd->add_option("--max-states", args->max_states, "stop the explorer after this many states (the verdicts become UNKNOWN)");
    cmd->add_option("--engine", args->engine,
                    "auto (inductive invariant, shape proofs, a short search for races, the explorer, then Z3 for what is left), "
                    "explorer (explicit-state, no Z3) or z3")
        ->check(CLI::IsMember({"auto", "explorer", "z3"}));
    add_budget_options(cmd, args->budget, "each spec's check");
    add_color_option(cmd, args->color);
    cmd->add_flag("--full-trace", args->full_trace,
                  "draw every step of a counterexample; by default the steps the violation does not depend on (no reads-from, "
                  "overwritten write, lock hand-off or start leads from them to it) are folded into one line per run");
    add_chart_option(cmd, args->chart, "the counterexamples");
    cmd->callback([args, &exit_status] { exit_status = run_check(*args); });
}

}  // namespace critsec::cli
