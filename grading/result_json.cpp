#include "grading/result_json.hpp"

#include <stdexcept>

namespace critsec::grading {
namespace {

template <typename E, size_t N>
E by_name(const std::string& name, const E (&all)[N], const char* (*name_of)(E)) {
    for (E e : all)
        if (name == name_of(e)) return e;
    throw std::invalid_argument("unknown status " + name);
}

}  // namespace

const char* item_status_name(ItemStatus s) {
    switch (s) {
        case ItemStatus::Passed: return "passed";
        case ItemStatus::Failed: return "failed";
        case ItemStatus::Unknown: return "unknown";
    }
    return "?";
}

const char* submission_status_name(SubmissionStatus s) {
    switch (s) {
        case SubmissionStatus::Graded: return "graded";
        case SubmissionStatus::SpecErrors: return "spec-errors";
        case SubmissionStatus::OutOfBudget: return "out-of-budget";
        case SubmissionStatus::Failed: return "failed";
    }
    return "?";
}

nlohmann::json to_json(const SubmissionResult& r) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& i : r.items)
        items.push_back({{"name", i.name},
                         {"requirement", i.requirement},
                         {"points", i.points},
                         {"max_points", i.max_points},
                         {"status", item_status_name(i.status)},
                         {"found", i.found},
                         {"hint", i.hint},
                         {"chart", i.chart}});
    return {{"submission", r.name}, {"path", r.path},         {"status", submission_status_name(r.status)},
            {"score", r.score},     {"max_score", r.max_score}, {"items", items},
            {"own_claims", r.own_claims}, {"diagnostics", r.diagnostics}, {"message", r.message},
            {"seconds", r.seconds}};
}

SubmissionResult result_from_json(const nlohmann::json& j) {
    static const ItemStatus item_statuses[] = {ItemStatus::Passed, ItemStatus::Failed, ItemStatus::Unknown};
    static const SubmissionStatus statuses[] = {SubmissionStatus::Graded, SubmissionStatus::SpecErrors, SubmissionStatus::OutOfBudget,
                                                SubmissionStatus::Failed};
    SubmissionResult r;
    r.name = j.at("submission").get<std::string>();
    r.path = j.at("path").get<std::string>();
    r.status = by_name(j.at("status").get<std::string>(), statuses, submission_status_name);
    r.score = j.at("score").get<int>();
    r.max_score = j.at("max_score").get<int>();
    for (const auto& i : j.at("items"))
        r.items.push_back({i.at("name").get<std::string>(), i.at("requirement").get<bool>(), i.at("points").get<int>(),
                           i.at("max_points").get<int>(), by_name(i.at("status").get<std::string>(), item_statuses, item_status_name),
                           i.at("found").get<std::string>(), i.at("hint").get<std::string>(), i.at("chart").get<std::string>()});
    r.own_claims = j.at("own_claims").get<std::vector<std::string>>();
    r.diagnostics = j.at("diagnostics").get<std::string>();
    r.message = j.at("message").get<std::string>();
    r.seconds = j.at("seconds").get<double>();
    return r;
}

}  // namespace critsec::grading
