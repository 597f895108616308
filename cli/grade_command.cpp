#include "cli/grade_command.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <thread>

#include "cli/budget_options.hpp"
#include "cli/exit_codes.hpp"
#include "grading/grade_batch.hpp"
#include "grading/reports.hpp"
#include "model/spec_search.hpp"

namespace critsec::cli {
namespace {

struct GradeArgs {
    std::string exercise;
    std::vector<std::string> submissions;
    std::string format = "text";
    int jobs = 0;  // 0: the number of cores
    size_t max_states = 0;  // 0: the grading file's, else 1,000,000
    bool verbose = false;
    BudgetArgs budget{20};
};

std::string utc_now_iso8601() { return fmt::format("{:%Y-%m-%dT%H:%M:%S}", fmt::gmtime(std::time(nullptr))); }

int exit_for(const std::vector<grading::SubmissionResult>& results) {
    bool infrastructure = std::any_of(results.begin(), results.end(), [](const auto& r) { return r.status == grading::SubmissionStatus::Failed; });
    bool lost = std::any_of(results.begin(), results.end(), [](const auto& r) { return !r.full_marks(); });
    return infrastructure ? exit_code::grade_infrastructure : lost ? exit_code::grade_points_lost : exit_code::ok;
}

std::string render(const grading::GradeReport& report, const GradeArgs& a) {
    if (a.format == "json") return grading::render_json(report);
    if (a.format == "junit") return grading::render_junit(report);
    if (a.format == "tap") return grading::render_tap(report);
    if (a.format == "gradescope") return grading::render_gradescope(report);
    return grading::render_table(report, a.verbose);
}

int run_grade(const GradeArgs& a, bool timeout_given) {
    grading::LoadedGrading g = grading::load_grading_file(a.exercise);
    if (!g.diagnostics.empty()) {
        bool unreadable = g.diagnostics.front().loc.line == 0;
        if (unreadable) fmt::print(stderr, "critsec grade: cannot read the grading file {}\n", g.file.path);
        else fmt::print(stderr, "{}", render_all(g.source, g.diagnostics));
        return unreadable ? exit_code::no_input : exit_code::data_error;
    }
    FoundSpecs found = find_specs(a.submissions);
    for (const auto& p : found.problems) fmt::print(stderr, "critsec grade: {}\n", p);
    if (!found.problems.empty()) return exit_code::no_input;
    std::vector<grading::Submission> submissions;
    for (const auto& f : found.specs) submissions.push_back({f.name, f.path});
    grading::GradeLimits limits;
    limits.seconds = timeout_given || !g.file.seconds ? a.budget.seconds : *g.file.seconds;
    limits.max_memory_mb = a.budget.max_memory_mb;
    limits.max_states = a.max_states ? a.max_states : g.file.max_states.value_or(1'000'000);
    int jobs = a.jobs > 0 ? a.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    auto t0 = std::chrono::steady_clock::now();
    auto progress = [&](const grading::SubmissionResult& r, size_t done, size_t total) {
        fmt::print(stderr, "[{}/{}] {}: {}/{} ({}; {:.1f} s)\n", done, total, r.name, r.score, r.max_score, grading::summary_of(r), r.seconds);
    };
    grading::GradeReport report{g.file.path, g.file.title, grading::grade_all(g.file, submissions, limits, jobs, progress)};
    report.finished_at = utc_now_iso8601();
    if (char host[256] = {}; gethostname(host, sizeof host - 1) == 0 && host[0]) report.hostname = host;
    fmt::print(stderr, "graded {} submission(s) in {:.1f} s, {} at once, {:g} s and {} states each\n", report.results.size(),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), jobs, limits.seconds, limits.max_states);
    fmt::print("{}", render(report, a));
    return exit_for(report.results);
}

}  // namespace

void add_grade_command(CLI::App& app, int& exit_status) {
    auto* cmd = app.add_subcommand("grade", "Grade submissions against an exercise's grading file (docs/grading.md)");
    auto args = std::make_shared<GradeArgs>();
    cmd->add_option("exercise", args->exercise, "the exercise's folder (its grading.txt) or its grading file")->required();
    cmd->add_option("submissions", args->submissions, "submissions: .crit or .py files, or folders searched recursively")->required();
    cmd->add_option("--format", args->format, "text, json, junit, tap or gradescope (results.json)")
        ->check(CLI::IsMember({"text", "json", "junit", "tap", "gradescope"}));
    cmd->add_option("-j,--jobs", args->jobs, "submissions graded at once (default: the number of cores)")->check(CLI::Range(1, 256));
    cmd->add_option("--max-states", args->max_states, "states per search (default: the grading file's, else 1000000)")
        ->check(CLI::Range(size_t{1}, size_t{100'000'000}));
    cmd->add_flag("-v,--verbose", args->verbose, "the feedback of every submission, full marks too");
    add_budget_options(cmd, args->budget, "each submission (default: the grading file's timeout, else 20)");
    cmd->callback([args, cmd, &exit_status] { exit_status = run_grade(*args, cmd->get_option("--timeout")->count() > 0); });
}

}  // namespace critsec::cli
