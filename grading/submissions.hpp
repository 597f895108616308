#pragma once
// The submissions a command line names: a `.crit` or `.py` file, or a folder
// searched recursively (one folder per student). Rows are named by path: a
// folder's files relative to the folder, prefixed with the folder's own name
// when several arguments are given (`alice/adder.crit`, `bob/adder.crit`).
#include <string>
#include <vector>

#include "grading/grade_submission.hpp"

namespace critsec::grading {

struct FoundSubmissions {
    std::vector<Submission> submissions;
    std::vector<std::string> problems;  // "no such file or folder: x", "no .crit or .py file in y"
};

FoundSubmissions find_submissions(const std::vector<std::string>& arguments);

}  // namespace critsec::grading
