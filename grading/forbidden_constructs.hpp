#pragma once
// The constructs a grading file can forbid, found in a submission's lowered
// model (its control flow, so a loop's `start(); join()` counts as well as two
// straight lines).
#include <optional>
#include <string>

#include "grading/grading_file.hpp"
#include "model/program.hpp"

namespace critsec::grading {

// Where the submission uses the construct ("main joins at line 12 and may start
// a process afterwards, at line 11"), or nothing when it does not.
std::optional<std::string> find_construct(const model::Program& program, Construct construct);

}  // namespace critsec::grading
