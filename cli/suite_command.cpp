#include "cli/suite_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "checker/claims.hpp"
#include "checker/input_errors.hpp"
#include "checker/outcomes.hpp"
#include "cli/budget_options.hpp"
#include "cli/command_clock.hpp"
#include "cli/exit_codes.hpp"
#include "cli/load_spec.hpp"
#include "compare/comparison.hpp"
#include "model/frontend.hpp"
#include "model/spec_search.hpp"
#include "runtime/perturb.hpp"

namespace critsec::cli {
namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

struct SuiteArgs {
    std::vector<std::string> paths;  // empty: default_dir()
    uint64_t runs = 100;
    double time_scale = 0.0001;
    std::string perturb = "yield";
    uint64_t seed = 1;
    bool verbose = false;
    BudgetArgs budget{20};  // per spec
};

// One column per built-in property: the verdict of every assert together, then the others.
std::string builtin_verdict(const checker::SpecCheck& check, checker::PropertyKind kind) {
    std::optional<checker::Verdict> v = checker::verdict_of_kind(check, kind);
    return v ? checker::verdict_name(*v) : "-";
}

// What real runs of the spec showed, held against the model's predictions
// (compare::compare_spec: every observed outcome predicted, every log replayed).
struct RealRuns {
    std::string summary;  // "100 runs: 31 outcomes, all predicted, seen 28/31; 100/100 logs replay"
    bool model_disagrees = false;
    bool inconclusive = false;
    std::string details;  // the unpredicted runs and divergences, for the notes
};

// The claims already enumerated the outcomes for the spec's fixed inputs: reuse them.
compare::Predictor cached_predictor(const std::optional<checker::OutcomeReport>& known, const std::optional<std::vector<int64_t>>& inputs,
                                     const checker::Budget* budget) {
    compare::Predictor fresh = compare::explorer_predictor(8, checker::kOutcomeStateBudget, budget);
    return [fresh, known, inputs](const model::Program& program, const compare::PredictionInputs& drawn) {
        if (known && inputs && drawn.children.empty() && drawn.main == *inputs) return *known;
        return fresh(program, drawn);
    };
}

// The runs and their predictions get what the spec's --timeout has left after its check.
RealRuns run_for_real(const model::Program& program, const SuiteArgs& args, const SpecExpectations& ex,
                      const std::optional<checker::OutcomeReport>& known, const CommandClock& clock) {
    RealRuns out;
    out.summary = "-";
    if (args.runs == 0) return out;
    compare::CompareOptions o;
    o.runs = args.runs;
    o.seed = args.seed;
    o.reuse = true;
    o.run.perturb = *runtime::parse_perturb_mode(args.perturb);
    o.run.time_scale = args.time_scale;
    o.run.no_progress_timeout = 2;
    o.run.max_run_seconds = 10;
    if (ex.fixed_inputs) o.inputs = std::vector<int64_t>(ex.fixed_inputs->begin(), ex.fixed_inputs->end());
    o.run.interrupted = [&clock] { return clock.out_of_time(); };
    o.progress = [&clock](uint64_t, uint64_t) { return !clock.out_of_time(); };
    checker::Budget budget(std::max(0.1, clock.left()), args.budget.max_memory_mb, false);
    o.predictor = cached_predictor(known, o.inputs, &budget);
    compare::ComparisonReport r;
    try {
        r = compare::compare_spec(program, o);
    } catch (const runtime::SpecRefused& e) {
        out.summary = std::string("refused: ") + e.what();
        out.model_disagrees = true;
        return out;
    }
    size_t seen = 0;
    for (const auto& row : r.rows) seen += row.observed > 0;
    out.summary = fmt::format("{} runs: {} outcome{}, ", r.runs, seen, seen == 1 ? "" : "s");
    if (r.unpredicted_outcomes) out.summary += fmt::format("{} NOT PREDICTED", r.unpredicted_outcomes);
    else out.summary += "all predicted";
    if (r.single_input_vector()) out.summary += fmt::format(", seen {}/{}", r.predicted_seen, r.predicted);
    out.summary += fmt::format("; {}/{} logs replay", r.traces_replayed, r.traces_checked);
    if (r.interrupted) out.summary += fmt::format(" (stopped: {})", clock.why());
    out.model_disagrees = !r.model_agrees();
    out.inconclusive = r.inconclusive();
    for (const auto& u : r.unpredicted)
        out.details += fmt::format("{}: run {} (seed {}) ended with an outcome the model does not predict:\n{}\n", program.spec_path,
                                   u.index, u.seed, u.outcome);
    for (const auto& f : r.trace_failures)
        out.details +=
            fmt::format("{}: run {} (seed {}): its event log does not replay in the model\n", program.spec_path, f.index, f.seed);
    if (r.inconclusive_runs || r.runs_without_outcome)
        out.details += fmt::format("{}: {} run(s) inconclusive, {} without an outcome (see `critsec compare`)\n", program.spec_path,
                                   r.inconclusive_runs, r.runs_without_outcome);
    return out;
}

// What the suite adds up over its specs.
struct Totals {
    int broken_specs = 0, refuted = 0, undecided = 0, claims = 0, disagreements = 0, inconclusive = 0;
    std::vector<std::string> notes;  // printed after the table, to stderr
};

// A spec with errors: its row points to the notes, which get them.
void broken_row(const std::string& name, size_t errors, std::string note, Totals& t) {
    ++t.broken_specs;
    fmt::print("{:<28} {} error(s): see below\n", name, errors);
    t.notes.push_back(std::move(note));
}

// One spec: its properties and claims judged, its real runs held against its outcomes, in one row.
void judge_spec(const FoundSpec& spec, const SuiteArgs& args, Totals& t) {
    // Named by the path below its folder, without the extension: two students' `solution.crit` differ.
    fs::path path(spec.path), named(spec.name);
    std::string name = (named.parent_path() / named.stem()).generic_string();
    Compiled c = compile_file(path.string());
    if (unreadable(c)) return broken_row(name, 1, cannot_read(path.string(), c), t);
    if (!c.program) return broken_row(name, c.diagnostics.size(), render_all(c.source, c.diagnostics), t);
    SpecExpectations ex = parse_expectations(c.source);
    // A malformed `# expect:` or `# fixed-inputs:` line is an error of the spec, not a dropped claim.
    if (!ex.diagnostics.empty()) return broken_row(name, ex.diagnostics.size(), render_all(c.source, ex.diagnostics), t);
    CommandClock clock(args.budget.seconds);
    checker::SpecVerdicts v;
    try {
        checker::Budget budget = make_budget(args.budget, true);
        v = checker::judge_claims(*c.program, ex, checker::Engine::Auto, &budget);
        budget.clear_progress();
    } catch (const checker::InputOutOfRange& e) {
        return broken_row(name, 1, fmt::format("{}:{}: error: `# fixed-inputs:`: {}\n", path.string(), e.line, e.what()), t);
    }
    t.claims += static_cast<int>(v.claims.size());
    t.refuted += v.refuted;
    t.undecided += v.undecided;
    for (const auto& claim : v.claims) {
        if (claim.status == checker::ClaimStatus::Confirmed && !args.verbose) continue;
        t.notes.push_back(fmt::format("{}:{}: {}: the spec states `{}`; the checker finds {}\n", path.string(), claim.claim.loc.line,
                                      checker::claim_status_name(claim.status), claim.stated, claim.found));
    }
    std::string outcomes = "-";
    if (v.outcomes && v.outcomes->complete) outcomes = std::to_string(v.outcomes->outcomes.size());
    RealRuns real = run_for_real(*c.program, args, ex, v.outcomes, clock);
    t.disagreements += real.model_disagrees;
    t.inconclusive += real.inconclusive;
    if (!real.details.empty()) t.notes.push_back(real.details);
    using K = checker::PropertyKind;
    fmt::print("{:<28} {:<9} {:<11} {:<9} {:<13} {:>6} {:>8}  {}\n", name, builtin_verdict(v.check, K::Assert),
               builtin_verdict(v.check, K::LostUpdate), builtin_verdict(v.check, K::Deadlock), builtin_verdict(v.check, K::RuntimeError),
               fmt::format("{}/{}", v.confirmed, v.claims.size()), outcomes, real.summary);
    std::fflush(stdout);
}

void print_summary(const SuiteArgs& args, size_t specs, const Totals& t, double seconds) {
    fmt::print("\n{} specs, {} claims: {} confirmed, {} refuted, {} undecided; {} spec(s) with errors; ", specs, t.claims,
               t.claims - t.refuted - t.undecided, t.refuted, t.undecided, t.broken_specs);
    if (args.runs) fmt::print("{} spec(s) whose runs the model does not explain; ", t.disagreements);
    fmt::print("{:.1f} s\n", seconds);
    fmt::print(
        "outcomes: distinct final outcomes the checker predicts for the spec's fixed inputs (`# fixed-inputs:`); - when it states none\n");
    if (args.runs)
        fmt::print(
            "real runs: outcomes observed (in the checker's terms), whether the model predicts each, how many of the predicted ones\n"
            "were seen (fixed inputs), and how many runs' event logs replay step by step in the model\n");
    for (const auto& n : t.notes) fmt::print(stderr, "{}", n);
}

// Without a folder: the tutorial's specs of this checkout, from wherever the
// command runs: `specs/tutorial` below the current folder, else beside the
// build folder that holds the binary (build/critsec -> specs/tutorial).
std::string default_dir() {
    std::error_code ec;
    if (fs::is_directory("specs/tutorial", ec)) return "specs/tutorial";
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return "specs/tutorial";
    for (fs::path at = exe.parent_path(); !at.empty() && at != at.root_path(); at = at.parent_path())
        if (fs::is_directory(at / "specs/tutorial", ec)) return (at / "specs/tutorial").string();
    return "specs/tutorial";  // not found: the message names what was looked for
}

int run_suite(SuiteArgs args) {
    if (args.paths.empty()) args.paths = {default_dir()};
    FoundSpecs found = find_specs(args.paths);
    for (const auto& p : found.problems) fmt::print(stderr, "critsec suite: {}\n", p);
    if (!found.problems.empty() || found.specs.empty()) return exit_code::no_input;
    const std::vector<FoundSpec>& specs = found.specs;
    auto t0 = Clock::now();
    fmt::print(
        "critsec suite {}: {} specs; every property checked, the spec's claims judged; {} real runs each "
        "(litmus mode, --perturb {}, sleeps x{}) held against the predicted outcomes\n\n",
        fmt::join(args.paths, " "), specs.size(), args.runs, args.perturb, args.time_scale);
    fmt::print("{:<28} {:<9} {:<11} {:<9} {:<13} {:>6} {:>8}  {}\n", "spec", "assert", "lost-update", "deadlock", "runtime-error", "claims",
               "outcomes", "real runs against the model");
    Totals t;
    for (const auto& spec : specs) judge_spec(spec, args, t);
    print_summary(args, specs.size(), t, std::chrono::duration<double>(Clock::now() - t0).count());
    if (t.broken_specs) return exit_code::data_error;
    if (t.refuted || t.disagreements) return exit_code::violated;
    if (t.undecided || t.inconclusive) return exit_code::inconclusive;
    return exit_code::ok;
}

}  // namespace

void add_suite_command(CLI::App& app, int& exit_status) {
    auto* cmd = app.add_subcommand(
        "suite", "Check every spec of some files and folders (default: the checkout's specs/tutorial) against the claims it states, and run each for real");
    auto args = std::make_shared<SuiteArgs>();
    cmd->add_option("paths", args->paths, "specs (.crit) and Python programs (.py), or folders of them searched recursively");
    cmd->add_option("-n,--runs", args->runs, "real runs of each spec (default 100; 0: none)")->check(CLI::Range(0, 100000));
    cmd->add_option("--time-scale", args->time_scale, "multiplies every sleep() of the real runs (default 0.0001)")
        ->check(CLI::Range(0.0, 10.0));
    cmd->add_option("--perturb", args->perturb, "none, yield or random (default yield)")->check(CLI::IsMember({"none", "yield", "random"}));
    cmd->add_option("--seed", args->seed, "seed of the real runs (default 1)");
    cmd->add_flag("-v,--verbose", args->verbose, "list every claim, confirmed ones too");
    add_budget_options(cmd, args->budget, "each spec (its check, then its real runs)");
    cmd->callback([args, &exit_status] { exit_status = run_suite(*args); });
}

}  // namespace critsec::cli
