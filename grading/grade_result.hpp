#pragma once
// What grading one submission found: value types only, so that a result can
// cross from the forked child that graded it to the parent (as JSON,
// result_json.hpp) and be rendered in every output format from the same data.
#include <string>
#include <vector>

namespace critsec::grading {

enum class ItemStatus { Passed, Failed, Unknown };

// One graded claim or one requirement of the grading file.
struct ItemResult {
    std::string name;          // `assert: PROVED`, `overlap Adder: sometimes`, `forbid: join-before-start`
    bool requirement = false;  // a requirement earns no points: failing one takes every point
    int points = 0, max_points = 0;
    ItemStatus status = ItemStatus::Unknown;
    std::string found;  // what the checker found, in one line
    std::string hint;   // the grading file's hint, when the item failed
    std::string chart;  // the counterexample, drawn as `critsec check` draws it, when there is one
};

enum class SubmissionStatus {
    Graded,       // every item decided or left undecided by the checker
    SpecErrors,   // the submission does not compile: its diagnostics, no points
    OutOfBudget,  // the submission's time ran out before it was graded: UNKNOWN, no points
    Failed,       // the grader itself failed on it (a crash, a refused fork): an infrastructure error
};

struct SubmissionResult {
    std::string name;  // the path relative to the argument that named it
    std::string path;
    SubmissionStatus status = SubmissionStatus::Graded;
    int score = 0, max_score = 0;
    std::vector<ItemResult> items;         // the requirements, then the claims, in the grading file's order
    std::vector<std::string> own_claims;   // the submission's own `# expect:` lines: shown, never graded
    std::string diagnostics;               // SpecErrors: rendered by the one diagnostic printer
    std::string message;                   // OutOfBudget, Failed: why; Graded: a failed requirement, if any
    double seconds = 0;
    bool full_marks() const { return status == SubmissionStatus::Graded && score == max_score; }
};

const char* item_status_name(ItemStatus s);              // "passed", "failed", "unknown"
const char* submission_status_name(SubmissionStatus s);  // "graded", "spec-errors", "out-of-budget", "failed"

}  // namespace critsec::grading
