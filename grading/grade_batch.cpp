#include "grading/grade_batch.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <string.h>

#include "grading/child_pool.hpp"
#include "grading/result_json.hpp"

namespace critsec::grading {
namespace {

// What a child's end says of its submission.
SubmissionResult result_of(const GradingFile& grading, const Submission& s, const GradeLimits& limits, ChildEnd end) {
    using How = ChildEnd::How;
    if (end.how == How::Exited && end.code == 0) {
        try {
            return result_from_json(nlohmann::json::parse(end.output));
        } catch (const std::exception& e) {
            return ungraded(grading, s, SubmissionStatus::Failed, fmt::format("the grader's result could not be read: {}", e.what()));
        }
    }
    SubmissionResult r;
    if (end.how == How::TimedOut)
        r = ungraded(grading, s, SubmissionStatus::OutOfBudget,
                     fmt::format("UNKNOWN: still running after {:.0f} s (its budget is {:g} s): stopped, no credit", end.seconds, limits.seconds));
    else if (end.how == How::NotStarted)
        r = ungraded(grading, s, SubmissionStatus::Failed, "the system refused a grading process: " + end.why);
    else if (end.how == How::Signalled)
        r = ungraded(grading, s, SubmissionStatus::Failed, fmt::format("the grader died on this submission: {}", ::strsignal(end.code)));
    else
        r = ungraded(grading, s, SubmissionStatus::Failed,
                     fmt::format("the grader failed on this submission (exit {}){}", end.code, end.output.empty() ? "" : ": " + end.output));
    r.seconds = end.seconds;
    return r;
}

}  // namespace

double wall_clock_limit(double budget_seconds) { return budget_seconds * 1.5 + 5; }

std::vector<SubmissionResult> grade_all(const GradingFile& grading, const std::vector<Submission>& submissions, const GradeLimits& limits,
                                        int parallel, const std::function<void(const SubmissionResult&, size_t, size_t)>& progress) {
    std::vector<SubmissionResult> results(submissions.size());
    size_t finished = 0;
    run_in_children(
        submissions.size(), parallel, wall_clock_limit(limits.seconds),
        [&](size_t i) { return to_json(grade_submission(grading, submissions[i], limits)).dump(); },
        [&](size_t i, ChildEnd end) {
            results[i] = result_of(grading, submissions[i], limits, std::move(end));
            if (progress) progress(results[i], ++finished, submissions.size());
        });
    return results;
}

}  // namespace critsec::grading
