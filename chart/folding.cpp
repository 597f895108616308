#include "chart/folding.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace critsec::chart {
namespace {

constexpr size_t kNamesShown = 4;
// A single row is drawn as it is: its fold line would be no shorter.
constexpr size_t kShortestRun = 2;

std::string label_of(const Row& row, size_t index) { return row.number.empty() ? std::to_string(index + 1) : row.number; }

// "rows 7-26 folded: 20 steps of Adder#1, Adder#2 and Adder#3, not involved"
std::string run_text(const Trace& t, size_t first, size_t last) {
    // In the order of the columns (main, then the children as created), then the others as they come.
    std::vector<std::string> names;
    for (const auto& p : t.processes)
        for (size_t i = first; i <= last; ++i)
            if (t.rows[i].process == p && std::find(names.begin(), names.end(), p) == names.end()) names.push_back(p);
    for (size_t i = first; i <= last; ++i)
        if (std::find(names.begin(), names.end(), t.rows[i].process) == names.end()) names.push_back(t.rows[i].process);
    std::string who;
    size_t shown = names.size() > kNamesShown + 1 ? kNamesShown : names.size();
    for (size_t k = 0; k < shown; ++k) who += (k == 0 ? "" : k + 1 == shown && shown == names.size() ? " and " : ", ") + names[k];
    if (shown < names.size()) who += fmt::format(" and {} more", names.size() - shown);
    return fmt::format("rows {}-{} folded: {} steps of {}, not involved", label_of(t.rows[first], first), label_of(t.rows[last], last),
                       last - first + 1, who);
}

}  // namespace

bool any_folded(const Trace& trace) {
    return std::any_of(trace.rows.begin(), trace.rows.end(), [](const Row& r) { return r.folded; });
}

Trace gathered(const Trace& t) {
    Trace out = t;
    out.rows.clear();
    // A lasso's cycle is drawn from its first row: the rows before it are counted in the new order.
    int cycle_from = -1;
    for (size_t i = 0; i < t.rows.size();) {
        if (t.cycle_from >= 0 && i == static_cast<size_t>(t.cycle_from)) cycle_from = static_cast<int>(out.rows.size());
        size_t last = i;
        while (t.rows[i].folded && last + 1 < t.rows.size() && t.rows[last + 1].folded &&
               (t.cycle_from < 0 || last + 1 != static_cast<size_t>(t.cycle_from)))
            ++last;
        if (last + 1 - i < kShortestRun) {
            for (; i <= last; ++i) {
                Row r = t.rows[i];
                r.number = label_of(r, i);
                r.folded = false;
                out.rows.push_back(std::move(r));
            }
            continue;
        }
        Row fold;
        fold.folded = true;
        fold.step = run_text(t, i, last);
        out.rows.push_back(std::move(fold));
        i = last + 1;
    }
    out.cycle_from = cycle_from;
    out.processes.clear();
    for (const auto& p : t.processes) {
        bool drawn = std::any_of(out.rows.begin(), out.rows.end(), [&](const Row& r) { return !r.folded && r.process == p; }) ||
                     std::any_of(t.waits.begin(), t.waits.end(), [&](const Wait& w) { return w.process == p; });
        if (drawn) out.processes.push_back(p);
    }
    return out;
}

}  // namespace critsec::chart
