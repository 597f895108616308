#include <nlohmann/json.hpp>

#include "grading/reports.hpp"
#include "grading/result_json.hpp"

namespace critsec::grading {
namespace {

// One results.json (https://gradescope-autograders.readthedocs.io/en/latest/specs/): a test per item.
nlohmann::json gradescope_of(const SubmissionResult& r) {
    nlohmann::json tests = nlohmann::json::array();
    for (const auto& i : r.items)
        tests.push_back({{"name", i.name},
                         {"score", i.points},
                         {"max_score", i.max_points},
                         {"status", i.status == ItemStatus::Passed ? "passed" : "failed"},
                         {"output", feedback_of(i)},
                         {"visibility", "visible"}});
    std::string output = summary_of(r) + "\n" + r.diagnostics;
    if (!r.own_claims.empty()) {
        output += "Your own claims (shown, not graded):\n";
        for (const auto& c : r.own_claims) output += "  " + c + "\n";
    }
    return {{"score", r.score},
            {"max_score", r.max_score},
            {"output", output},
            {"visibility", "visible"},
            {"tests", tests},
            {"extra_data", {{"submission", r.name}, {"status", submission_status_name(r.status)}}}};
}

}  // namespace

std::string render_json(const GradeReport& report) {
    nlohmann::json results = nlohmann::json::array();
    int full = 0;
    for (const auto& r : report.results) {
        results.push_back(to_json(r));
        full += r.full_marks();
    }
    return nlohmann::json{{"exercise", report.exercise},
                          {"title", report.title},
                          {"submissions", report.results.size()},
                          {"full_marks", full},
                          {"results", results}}
               .dump(2) +
           "\n";
}

std::string render_gradescope(const GradeReport& report) {
    if (report.results.size() == 1) return gradescope_of(report.results.front()).dump(2) + "\n";
    nlohmann::json all = nlohmann::json::array();
    for (const auto& r : report.results) all.push_back(gradescope_of(r));
    return all.dump(2) + "\n";
}

}  // namespace critsec::grading
