#include "cli/suite_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "checker/claims.hpp"
#include "checker/machine.hpp"
#include "cli/exit_codes.hpp"
#include "model/frontend.hpp"
#include "runtime/fork_executor.hpp"
#include "runtime/histogram.hpp"
#include "runtime/seeding.hpp"

namespace critsec::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct SuiteArgs {
    std::string dir = "specs/tutorial";
    uint64_t runs = 100;
    double time_scale = 0.0001;
    std::string perturb = "yield";
    uint64_t seed = 1;
    bool verbose = false;
};

// One column per built-in property: the verdict of every assert together, then the others.
std::string builtin_verdict(const checker::SpecCheck& check, checker::PropertyKind kind) {
    bool any = false;
    checker::Verdict all = checker::Verdict::Proved;
    for (const auto& r : check.properties) {
        if (r.kind != kind) continue;
        any = true;
        if (r.verdict == checker::Verdict::Violated) all = r.verdict;
        else if (r.verdict != checker::Verdict::Proved && all != checker::Verdict::Violated) all = r.verdict;
    }
    return any ? checker::verdict_name(all) : "-";
}

struct RealRuns {
    std::string summary;  // "100 runs: 31 outcomes, assert broken in 97"
    bool refused = false;
};

RealRuns run_for_real(const model::Program& program, const SuiteArgs& args) {
    if (args.runs == 0) return {"-", false};
    runtime::RunOptions options;
    options.perturb = *runtime::parse_perturb_mode(args.perturb);
    options.time_scale = args.time_scale;
    options.no_progress_timeout = 2;
    options.max_run_seconds = 10;
    try {
        runtime::ForkExecutor executor(program, options);
        runtime::Histogram histogram;
        for (uint64_t k = 0; k < args.runs; ++k) histogram.add(executor.run(runtime::run_seed(args.seed, k)), k);
        std::string text = fmt::format("{} runs: {} outcome{}", histogram.runs(), histogram.distinct(), histogram.distinct() == 1 ? "" : "s");
        uint64_t broken = 0;
        for (const auto& [outcome, count] : histogram.outcomes())
            if (count.broke_assert) broken += count.count;
        if (broken) text += fmt::format(", an assert broken in {}", broken);
        if (auto n = histogram.with_status(runtime::RunStatus::Error) - broken; n > 0) text += fmt::format(", {} errors", n);
        if (auto n = histogram.with_status(runtime::RunStatus::Deadlock); n > 0) text += fmt::format(", {} deadlocks", n);
        if (auto n = histogram.with_status(runtime::RunStatus::Timeout); n > 0) text += fmt::format(", {} timeouts", n);
        return {text, false};
    } catch (const runtime::SpecRefused& e) {
        return {std::string("refused: ") + e.what(), true};
    }
}

int run_suite(const SuiteArgs& args) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(args.dir, ec)) {
        fmt::print(stderr, "critsec suite: {} is not a folder\n", args.dir);
        return exit_code::no_input;
    }
    std::vector<fs::path> specs;
    for (const auto& entry : fs::directory_iterator(args.dir, ec))
        if (entry.path().extension() == ".crit") specs.push_back(entry.path());
    std::sort(specs.begin(), specs.end());
    if (specs.empty()) {
        fmt::print(stderr, "critsec suite: no .crit spec in {}\n", args.dir);
        return exit_code::no_input;
    }

    auto t0 = Clock::now();
    fmt::print("critsec suite {}: {} specs; verdicts by the explorer, then Z3; {} real runs each (fork per run, --perturb {}, sleeps x{})\n\n",
               args.dir, specs.size(), args.runs, args.perturb, args.time_scale);
    fmt::print("{:<28} {:<9} {:<11} {:<9} {:<13} {:>6} {:>8}  {}\n", "spec", "assert", "lost-update", "deadlock", "runtime-error",
               "claims", "outcomes", "real runs");
    int broken_specs = 0, refuted = 0, undecided = 0, claims = 0;
    std::vector<std::string> notes;
    for (const auto& path : specs) {
        std::string name = path.stem().string();
        Compiled c = compile_file(path.string());
        if (!c.program) {
            ++broken_specs;
            fmt::print("{:<28} {} error(s): see below\n", name, c.diagnostics.size());
            notes.push_back(render_all(c.source, c.diagnostics));
            continue;
        }
        SpecExpectations ex = parse_expectations(c.source);
        if (!ex.diagnostics.empty()) {
            // A malformed `# expect:` or `# fixed-inputs:` line is an error of the spec, not a dropped claim.
            ++broken_specs;
            fmt::print("{:<28} {} error(s): see below\n", name, ex.diagnostics.size());
            notes.push_back(render_all(c.source, ex.diagnostics));
            continue;
        }
        checker::SpecVerdicts v;
        try {
            v = checker::judge_claims(*c.program, ex);
        } catch (const checker::InputOutOfRange& e) {
            ++broken_specs;
            fmt::print("{:<28} 1 error(s): see below\n", name);
            notes.push_back(fmt::format("{}:{}: error: `# fixed-inputs:`: {}\n", path.string(), e.line, e.what()));
            continue;
        }
        claims += static_cast<int>(v.claims.size());
        refuted += v.refuted;
        undecided += v.undecided;
        for (const auto& claim : v.claims) {
            if (claim.status == checker::ClaimStatus::Confirmed && !args.verbose) continue;
            notes.push_back(fmt::format("{}:{}: {}: the spec states `{}`; the checker finds {}\n", path.string(), claim.claim.loc.line,
                                        checker::claim_status_name(claim.status), claim.stated, claim.found));
        }
        std::string outcomes = "-";
        if (v.outcomes && v.outcomes->complete) outcomes = std::to_string(v.outcomes->outcomes.size());
        RealRuns real = run_for_real(*c.program, args);
        using K = checker::PropertyKind;
        fmt::print("{:<28} {:<9} {:<11} {:<9} {:<13} {:>6} {:>8}  {}\n", name, builtin_verdict(v.check, K::Assert),
                   builtin_verdict(v.check, K::LostUpdate), builtin_verdict(v.check, K::Deadlock),
                   builtin_verdict(v.check, K::RuntimeError), fmt::format("{}/{}", v.confirmed, v.claims.size()), outcomes, real.summary);
        std::fflush(stdout);
    }
    double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    fmt::print("\n{} specs, {} claims: {} confirmed, {} refuted, {} undecided; {} spec(s) with errors; {:.1f} s\n", specs.size(), claims,
               claims - refuted - undecided, refuted, undecided, broken_specs, seconds);
    fmt::print("outcomes: distinct final outcomes the checker predicts for the spec's fixed inputs (`# fixed-inputs:`); - when it states none\n");
    for (const auto& n : notes) fmt::print(stderr, "{}", n);
    if (broken_specs) return exit_code::data_error;
    if (refuted) return exit_code::violated;
    return exit_code::ok;
}

}  // namespace

void add_suite_command(CLI::App& app, int& exit_status) {
    auto* cmd = app.add_subcommand("suite",
                                   "Check every spec of a folder (default: specs/tutorial) against the claims it states, and run each for real");
    auto args = std::make_shared<SuiteArgs>();
    cmd->add_option("dir", args->dir, "a folder of .crit specs");
    cmd->add_option("-n,--runs", args->runs, "real runs of each spec (default 100; 0: none)")->check(CLI::Range(0, 100000));
    cmd->add_option("--time-scale", args->time_scale, "multiplies every sleep() of the real runs (default 0.0001)")
        ->check(CLI::Range(0.0, 10.0));
    cmd->add_option("--perturb", args->perturb, "none, yield or random (default yield)")->check(CLI::IsMember({"none", "yield", "random"}));
    cmd->add_option("--seed", args->seed, "seed of the real runs (default 1)");
    cmd->add_flag("-v,--verbose", args->verbose, "list every claim, confirmed ones too");
    cmd->callback([args, &exit_status] { exit_status = run_suite(*args); });
}

}  // namespace critsec::cli
