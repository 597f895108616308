#pragma once
// Grading one submission against an exercise's grading file, in this process:
// compile it, judge the grading file's claims and requirements with the
// checker (the same judgement as `critsec suite`, checker/claims.hpp), and
// score it. The submission's own `# expect:` lines are listed, never judged.
// grade_batch.hpp runs this in a forked child per submission.
#include <cstddef>
#include <string>

#include "grading/grade_result.hpp"
#include "grading/grading_file.hpp"

namespace critsec::grading {

struct Submission {
    std::string name;  // as rows name it: the path relative to the argument that found it
    std::string path;
};

struct GradeLimits {
    double seconds = 20;  // the checker's time for the submission, every engine
    size_t max_memory_mb = 4096;
    size_t max_states = 1'000'000;  // per search
};

SubmissionResult grade_submission(const GradingFile& grading, const Submission& submission, const GradeLimits& limits);

// A result with no points for every claim, for a submission that was not graded (`status`, `message`).
SubmissionResult ungraded(const GradingFile& grading, const Submission& submission, SubmissionStatus status, const std::string& message);

}  // namespace critsec::grading
