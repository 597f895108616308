#pragma once
// A class's grades in every output format of `critsec grade`, rendered from
// the same results (grade_result.hpp). Rendering never prints: the command
// writes the string. No timing appears in them, so that the same submissions
// give the same bytes (the golden tests compare them).
#include <string>
#include <vector>

#include "grading/grade_result.hpp"

namespace critsec::grading {

struct GradeReport {
    std::string exercise;  // the grading file's path
    std::string title;
    std::vector<SubmissionResult> results;
    // Where and when the grading ran: the JUnit schema requires both of every
    // testsuite. The command sets them; the defaults keep test reports stable.
    std::string finished_at = "1970-01-01T00:00:00";  // UTC, ISO 8601 without a zone
    std::string hostname = "localhost";
};

// A row per submission, then the feedback of every one without full marks
// (every one when `verbose`): each item, its hint, its counterexample.
std::string render_table(const GradeReport& report, bool verbose);
std::string render_json(const GradeReport& report);
// Apache Ant's JUnit schema (the one CI servers read): a testsuite per
// submission, a testcase per item.
std::string render_junit(const GradeReport& report);
std::string render_tap(const GradeReport& report);    // TAP version 13: a test point per item of every submission
// Gradescope's results.json: one object for one submission; an array of them
// (each naming its submission in `extra_data`) for several.
std::string render_gradescope(const GradeReport& report);

// What a submission's row says in one line: "full marks", "2 of 5 claims not met", ...
std::string summary_of(const SubmissionResult& r);
// The feedback of one item as a student reads it: what was found, the hint, the counterexample.
std::string feedback_of(const ItemResult& item);

}  // namespace critsec::grading
