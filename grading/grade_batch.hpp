#pragma once
// Grading a class: every submission in a forked child of its own (child_pool.hpp),
// a few at once, each within its budget and a wall-clock limit past it; a
// submission that stalls, crashes or exhausts memory gets its own row and
// never stops the batch.
#include <functional>
#include <vector>

#include "grading/grade_submission.hpp"

namespace critsec::grading {

// The wall-clock limit of one child: its checker budget and a grace for the
// engines to stop by themselves and the result to be handed over.
double wall_clock_limit(double budget_seconds);

// The results in the submissions' order; `progress(result, finished, total)` is
// called in the parent as each one is graded (in the order they finish).
std::vector<SubmissionResult> grade_all(const GradingFile& grading, const std::vector<Submission>& submissions, const GradeLimits& limits,
                                        int parallel, const std::function<void(const SubmissionResult&, size_t, size_t)>& progress);

}  // namespace critsec::grading
