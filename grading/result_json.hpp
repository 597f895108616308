#pragma once
// A grading result as JSON: how a forked child hands its result to the parent,
// and the `--format json` output.
#include <nlohmann/json.hpp>

#include "grading/grade_result.hpp"

namespace critsec::grading {

nlohmann::json to_json(const SubmissionResult& r);
// Throws nlohmann::json::exception or std::invalid_argument on a document that is not a result.
SubmissionResult result_from_json(const nlohmann::json& j);

}  // namespace critsec::grading
