#include "compare/observed_outcome.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "checker/verdict.hpp"

namespace critsec::compare {
namespace {

// The model keeps its processes in the order they came to exist: main, then
// each child as it was started. The log's `start X` steps of main give that order.
std::vector<std::string> start_order(const runtime::RunResult& run) {
    std::vector<std::string> order{"main"};
    for (const auto& e : run.log.events)
        if (e.instance == 0 && e.what.rfind("start ", 0) == 0) order.push_back(e.what.substr(6));
    return order;
}

size_t rank_of(const std::vector<std::string>& order, const std::string& label) {
    auto it = std::find(order.begin(), order.end(), label);
    return static_cast<size_t>(it - order.begin());
}

}  // namespace

bool has_outcome(const runtime::RunResult& run) {
    return run.status == runtime::RunStatus::Ok || run.status == runtime::RunStatus::Error || run.status == runtime::RunStatus::Deadlock ||
           run.status == runtime::RunStatus::Livelock;
}

std::string observed_outcome_text(const model::Program& program, const runtime::RunResult& run) {
    std::string out;
    for (const auto& line : run.final_state) out += line + "\n";
    auto order = start_order(run);
    // A process's own failure reads `Name: error`; the watchdog's reasons do not.
    std::vector<std::pair<size_t, std::string>> failures;
    for (const auto& p : run.problems)
        for (const auto& name : run.names)
            if (!name.empty() && p.rfind(name + ": ", 0) == 0) {
                failures.emplace_back(rank_of(order, name), fmt::format("{} failed: {}", name, p.substr(name.size() + 2)));
                break;
            }
    std::stable_sort(failures.begin(), failures.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [rank, line] : failures) out += line + "\n";
    for (const auto& line : run.main_output) out += fmt::format("main prints: {}\n", line);
    auto in_order = [&](std::vector<std::string> names) {
        std::stable_sort(names.begin(), names.end(), [&](const auto& a, const auto& b) { return rank_of(order, a) < rank_of(order, b); });
        return names;
    };
    if (run.status == runtime::RunStatus::Deadlock) out += fmt::format("deadlock: {} blocked\n", fmt::join(in_order(run.unfinished), ", "));
    if (run.status == runtime::RunStatus::Livelock) {
        std::vector<std::string> blocked;
        for (const auto& name : run.unfinished)
            if (std::find(run.spinning.begin(), run.spinning.end(), name) == run.spinning.end()) blocked.push_back(name);
        out += checker::livelock_line(in_order(run.spinning), in_order(blocked));
    }
    return out;
}

}  // namespace critsec::compare
