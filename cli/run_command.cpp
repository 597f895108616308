#include "cli/run_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <memory>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.hpp"
#include "cli/command_clock.hpp"
#include "cli/interrupt_guard.hpp"
#include "cli/load_spec.hpp"
#include "cli/terminal.hpp"
#include "checker/budget.hpp"
#include "compare/run_coverage.hpp"
#include "compare/run_observations.hpp"
#include "compare/unseen_violations.hpp"
#include "runtime/clock.hpp"
#include "runtime/fork_executor.hpp"
#include "runtime/histogram.hpp"
#include "runtime/litmus_executor.hpp"
#include "runtime/seeding.hpp"

namespace critsec::cli {
namespace {

using namespace critsec::runtime;

// Caps for untrusted specs on a shared teaching machine.
constexpr uint64_t kMaxRuns = 1'000'000;
constexpr double kMaxDeadlockAfter = 600;
constexpr double kMaxTimeout = 86400;
constexpr double kMaxRunTime = 3600;
constexpr double kMaxTimeScale = 100;
// The checker's search for violations the runs missed: a hint, so small.
constexpr double kHintSeconds = 2;
constexpr size_t kHintMemoryMb = 1024;

struct RunArgs {
    std::string spec;
    uint64_t runs = 100;
    uint64_t seed = 1;
    uint64_t first_run = 0;
    std::string perturb = "none";
    double time_scale = 1;
    double deadlock_after = 10;
    double livelock_after = RunOptions{}.livelock_seconds;
    double timeout = 600;  // the whole command
    double max_run_time = 60;
    int max_procs = kMaxProcesses;  // main included: every spec the front end accepts runs
    size_t max_memory_mb = RunOptions{}.max_memory_mb;
    bool show_output = false;
    bool trace = false;
    bool keep = false;
    bool reuse = false;
    std::string format = "text";
    std::string color = "auto";
};

// "" when the arguments are within the caps, else the message.
std::string check_caps(const RunArgs& a) {
    if (a.runs < 1 || a.runs > kMaxRuns) return fmt::format("-n must be between 1 and {} runs", kMaxRuns);
    if (!parse_perturb_mode(a.perturb)) return "--perturb must be none, yield or random";
    if (!(a.time_scale >= 0 && a.time_scale <= kMaxTimeScale)) return fmt::format("--time-scale must be between 0 and {}", kMaxTimeScale);
    if (!(a.deadlock_after > 0 && a.deadlock_after <= kMaxDeadlockAfter))
        return fmt::format("--deadlock-after must be between 0 and {} seconds", kMaxDeadlockAfter);
    if (!(a.livelock_after >= 0 && a.livelock_after <= kMaxDeadlockAfter))
        return fmt::format("--livelock-after must be between 0 (never) and {} seconds", kMaxDeadlockAfter);
    if (!(a.timeout > 0 && a.timeout <= kMaxTimeout)) return fmt::format("--timeout must be between 0 and {} seconds", kMaxTimeout);
    if (!(a.max_run_time > 0 && a.max_run_time <= kMaxRunTime))
        return fmt::format("--max-run-time must be between 0 and {} seconds", kMaxRunTime);
    if (a.format != "text" && a.format != "json") return "--format must be text or json";
    if (a.max_procs < 2 || a.max_procs > kMaxProcesses)
        return fmt::format("--max-procs must be between 2 and {} (main included)", kMaxProcesses);
    return "";
}

class Progress {
public:
    explicit Progress(uint64_t total) : total_(total), enabled_(::isatty(STDERR_FILENO) == 1) {}
    void update(uint64_t done, size_t outcomes) {
        if (!enabled_) return;
        double now = monotonic_seconds();
        if (now - last_ < 0.1 && done != total_) return;
        last_ = now;
        fmt::print(stderr, "\r  run {}/{}  {} outcome{}\033[K", done, total_, outcomes, outcomes == 1 ? "" : "s");
        shown_ = true;
    }
    ~Progress() {
        if (shown_) fmt::print(stderr, "\r\033[K");
    }

private:
    uint64_t total_;
    bool enabled_;
    bool shown_ = false;
    double last_ = 0;
};

// The executor the arguments ask for (a fork per run, or litmus); null after the
// message when the runtime refuses the spec.
std::unique_ptr<Executor> make_executor(const RunArgs& args, const model::Program& program, const RunOptions& options) {
    std::unique_ptr<Executor> executor;
    std::string folder;
    try {
        if (args.reuse) {
            auto litmus = std::make_unique<LitmusExecutor>(program, options);
            folder = litmus->folder();
            executor = std::move(litmus);
        } else {
            auto fork = std::make_unique<ForkExecutor>(program, options);
            folder = fork->folder();
            executor = std::move(fork);
        }
        if (args.keep) fmt::print(stderr, "critsec run: files kept in {}\n", folder);
    } catch (const SpecRefused& e) {
        fmt::print(stderr, "{}: refused: {}\n", args.spec, e.what());
        return nullptr;
    }
    return executor;
}

// What --show-output and --trace collect for the JSON report (the text report prints them as they come).
struct Shown {
    nlohmann::json output = nlohmann::json::array();
    nlohmann::json trace;
};

void show_run(const RunArgs& args, const RunResult& r, uint64_t k, uint64_t index, Shown& shown) {
    bool json = args.format == "json";
    if (args.show_output && json) {
        nlohmann::json lines = nlohmann::json::array();
        for (const auto& line : r.output)
            lines.push_back({{"process", r.names.at(line.instance)}, {"pid", r.pids.at(line.instance)}, {"text", line.text}});
        shown.output.push_back({{"run", index}, {"lines", lines}});
    } else if (args.show_output) {
        fmt::print("--- run {} ---\n", index);
        for (const auto& line : r.output) fmt::print("{}\n", r.show(line));
    }
    if (args.trace && k == 0 && json) {
        shown.trace = {{"run", index}, {"steps", r.log.steps}, {"dropped", r.log.dropped}, {"events", nlohmann::json::array()}};
        for (const auto& e : r.log.events)
            shown.trace["events"].push_back({{"seq", e.seq}, {"process", r.names.at(e.instance)}, {"pc", e.pc}, {"what", e.what}});
    } else if (args.trace && k == 0) {
        fmt::print("--- trace of run {} ({} steps{}) ---\n", index, r.log.steps,
                   r.log.dropped ? fmt::format(", the last {} not logged", r.log.dropped) : "");
        fmt::print("{}", render_sequence_chart(r.log.events, r.names, terminal_layout(args.color)));
    }
}

// The runs, until -n of them, Ctrl-C or the end of the time budget.
void run_series(const RunArgs& args, const CommandClock& clock, Executor& executor, Histogram& histogram, compare::RunObservations& observed,
                Shown& shown) {
    Progress progress(args.runs);
    for (uint64_t k = 0; k < args.runs && !clock.stop(); ++k) {
        uint64_t index = args.first_run + k;
        RunResult r = executor.run(run_seed(args.seed, index));
        if (r.status == RunStatus::Interrupted) break;
        show_run(args, r, k, index, shown);
        histogram.add(r, index);
        observed.add(r, index);
        progress.update(k + 1, histogram.distinct());
    }
}

// What the checker finds and the runs did not show: a run that missed the race must not read as "correct".
// These notes never change the exit code, which says what the runs did.
void print_unseen(const std::string& spec, uint64_t runs, const std::vector<compare::UnseenViolation>& unseen) {
    for (const auto& u : unseen)
        fmt::print("note: none of these {} runs {}, but some interleaving does ({})\n", runs, u.what, u.detail);
    if (unseen.empty()) return;
    fmt::print("      see it: critsec check {0}; force it on real processes: critsec replay {0} --property {1}; "
               "make such races show: --perturb random\n",
               spec, unseen.front().key);
}

void print_coverage(const std::string& spec, uint64_t runs, const std::optional<compare::RunCoverage>& c) {
    if (!c) return;
    fmt::print("coverage: {} of the {} outcomes the checker predicts were seen{}\n", c->seen, c->predicted,
               c->seen < c->predicted ? fmt::format(" (which: critsec compare {} -n {})", spec, runs) : "");
}

int exit_for(const Histogram& histogram, bool stopped) {
    if (stopped) return exit_code::inconclusive;
    bool violated =
        histogram.with_status(RunStatus::Error) + histogram.with_status(RunStatus::Deadlock) + histogram.with_status(RunStatus::Livelock) >
        0;
    if (violated) return exit_code::violated;
    if (histogram.with_status(RunStatus::Timeout) > 0) return exit_code::inconclusive;
    return exit_code::ok;
}

int run_runs(const RunArgs& args) {
    if (std::string problem = check_caps(args); !problem.empty()) {
        fmt::print(stderr, "critsec run: {}\n", problem);
        return exit_code::usage;
    }
    int status = exit_code::ok;
    bool json = args.format == "json";
    auto compiled = load_spec(args.spec, json ? Format::Json : Format::Text, status);
    if (!compiled) return status;
    const model::Program& program = *compiled->program;

    InterruptGuard guard;
    CommandClock clock(args.timeout);
    RunOptions options;
    options.perturb = *parse_perturb_mode(args.perturb);
    options.time_scale = args.time_scale;
    options.no_progress_timeout = args.deadlock_after;
    options.livelock_seconds = args.livelock_after;
    options.max_run_seconds = args.max_run_time;
    options.max_processes = args.max_procs;
    options.max_memory_mb = args.max_memory_mb;
    options.keep_files = args.keep;
    options.interrupted = [&clock] { return clock.stop(); };
    std::unique_ptr<Executor> executor = make_executor(args, program, options);
    if (!executor) return exit_code::data_error;

    Histogram histogram;
    compare::RunObservations observed(program);
    Shown shown;
    SeriesInfo info{args.spec, args.reuse ? "litmus: processes reused" : "fork per run", args.perturb, args.time_scale, args.seed, 0,
                    ""};
    double started = monotonic_seconds();
    run_series(args, clock, *executor, histogram, observed, shown);
    info.seconds = monotonic_seconds() - started;
    info.stopped = clock.why();
    // Asked after the runs, none alive: a cheap search, never Z3 (which may not stop when asked).
    checker::Budget hint_budget(kHintSeconds, kHintMemoryMb, false);
    std::vector<compare::UnseenViolation> unseen = compare::unseen_violations(program, histogram, observed, hint_budget);
    std::optional<compare::RunCoverage> coverage = compare::run_coverage(program, observed, hint_budget);
    if (json) {
        nlohmann::json out = histogram.to_json(program, info);
        out["unseen_violations"] = nlohmann::json::array();
        for (const auto& u : unseen) out["unseen_violations"].push_back({{"property", u.key}, {"detail", u.detail}});
        if (coverage) out["coverage"] = {{"predicted", coverage->predicted}, {"seen", coverage->seen}};
        if (args.show_output) out["output"] = shown.output;
        if (args.trace) out["trace"] = shown.trace;
        fmt::print("{}\n", out.dump(2));
    } else {
        fmt::print("{}", histogram.render(program, info));
        print_unseen(args.spec, histogram.runs(), unseen);
        print_coverage(args.spec, histogram.runs(), coverage);
    }
    return exit_for(histogram, !info.stopped.empty());
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_status) {
    auto* cmd = app.add_subcommand("run", "Execute a spec for real (fork, shared memory, real files) many times; count the outcomes");
    auto args = std::make_shared<RunArgs>();
    cmd->add_option("spec", args->spec, "the spec (.crit)")->required();
    cmd->add_option("-n,--runs", args->runs, fmt::format("how many runs (at most {})", kMaxRuns))->capture_default_str();
    cmd->add_option("--seed", args->seed, "seed of the draws and perturbations; a run repeats from it")->capture_default_str();
    cmd->add_option("--first-run", args->first_run, "index of the first run (to repeat run K: --first-run K -n 1)");
    cmd->add_option("--perturb", args->perturb, "none, yield or random: disturb every shared step so races show")->capture_default_str();
    cmd->add_option("--time-scale", args->time_scale, "multiply every sleep() by this")->capture_default_str();
    cmd->add_option("--deadlock-after", args->deadlock_after, "seconds without any step before a run counts as deadlock")
        ->capture_default_str();
    cmd->add_option("--livelock-after", args->livelock_after, kLivelockAfterHelp)->capture_default_str();
    cmd->add_option("--timeout", args->timeout, "seconds the whole command may take; past it, the runs stop and the histogram so far is shown")
        ->capture_default_str();
    cmd->add_option("--max-run-time", args->max_run_time, "seconds one run may take")->capture_default_str();
    cmd->add_option("--max-procs", args->max_procs, "processes a spec may have, main included")->capture_default_str();
    cmd->add_option("--max-memory", args->max_memory_mb, "MB of address space each child may take; past it, MemoryError")
        ->check(CLI::Range(size_t{64}, size_t{1} << 20))
        ->capture_default_str();
    cmd->add_flag("--show-output", args->show_output, "print every run's output, in the order it happened");
    cmd->add_flag("--trace", args->trace, "print the first run's steps as a sequence chart");
    add_color_option(cmd, args->color);
    cmd->add_flag("--reuse,--litmus", args->reuse,
                  "litmus mode: fork the processes once and reuse them run after run (shared state and files reset)");
    cmd->add_option("--format", args->format, "text or json")->capture_default_str();
    cmd->add_flag("--keep", args->keep, "keep the private folder of files");
    cmd->callback([args, &exit_status] { exit_status = run_runs(*args); });
}

}  // namespace critsec::cli
