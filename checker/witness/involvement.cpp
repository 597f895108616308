#include "checker/witness/involvement.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace critsec::checker {
namespace {

using Location = std::pair<int, int64_t>;  // (object, cell); a lock, a semaphore or a file is cell 0

// What the row wrote: its logged stores and file writes, and whatever its world changed
// (a store of the same value, a truncation, a lock's holder, a semaphore's count).
std::vector<Location> writes_of(const model::MemoryWorld& before, const model::MemoryWorld& after, const RowEffects& effects) {
    std::vector<Location> out;
    auto add = [&](Location l) {
        if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
    };
    for (const auto& a : effects.accesses)
        if (a.write) add({a.object, a.cell});
    for (size_t k = 0; k < after.cells.size(); ++k) {
        for (size_t c = 0; c < after.cells[k].size() && c < before.cells[k].size(); ++c)
            if (after.cells[k][c] != before.cells[k][c]) add({static_cast<int>(k), static_cast<int64_t>(c)});
        bool sync = after.holder[k] != before.holder[k] || after.hold_count[k] != before.hold_count[k];
        bool file = after.files[k].exists != before.files[k].exists || after.files[k].content != before.files[k].content;
        if (sync || file) add({static_cast<int>(k), 0});
    }
    return out;
}

void add_dep(std::vector<int>& deps, int row) {
    if (row >= 0 && std::find(deps.begin(), deps.end(), row) == deps.end()) deps.push_back(row);
}

}  // namespace

Dependencies dependencies_of(const Replayed& r) {
    const auto& steps = r.witness.steps;
    size_t n = std::min({steps.size(), r.effects.size(), r.worlds.empty() ? size_t{0} : r.worlds.size() - 1});
    Dependencies d;
    d.causal.resize(n);
    d.joined.resize(n);
    d.read_before.resize(n);
    std::map<int, int> last_of;              // instance -> its last row so far
    std::map<std::string, int> started_at;   // label -> the row that started it
    std::map<std::string, int> last_by_label;
    std::map<Location, int> last_write;
    std::map<Location, std::vector<int>> reads_since;  // the loads of a location since its last write
    for (size_t i = 0; i < n; ++i) {
        const TraceStep& s = steps[i];
        std::vector<int>& causal = d.causal[i];
        auto it = last_of.find(s.instance);
        if (it != last_of.end()) add_dep(causal, it->second);
        else if (auto st = started_at.find(s.process); st != started_at.end()) add_dep(causal, st->second);
        for (const auto& a : r.effects[i].accesses)
            if (!a.write)
                if (auto w = last_write.find({a.object, a.cell}); w != last_write.end()) add_dep(causal, w->second);
        std::vector<Location> writes = writes_of(r.worlds[i], r.worlds[i + 1], r.effects[i]);
        for (const auto& l : writes)
            if (auto w = last_write.find(l); w != last_write.end()) add_dep(causal, w->second);
        if (s.action.rfind("join ", 0) == 0)
            if (auto c = last_by_label.find(s.action.substr(5)); c != last_by_label.end()) add_dep(d.joined[i], c->second);
        for (const auto& l : writes)
            for (int reader : reads_since[l]) add_dep(d.read_before[i], reader == static_cast<int>(i) ? -1 : reader);
        // The bookkeeping after the row.
        int row = static_cast<int>(i);
        last_of[s.instance] = row;
        last_by_label[s.process] = row;
        if (s.action.rfind("start ", 0) == 0) started_at[s.action.substr(6)] = row;
        for (const auto& a : r.effects[i].accesses)
            if (!a.write) reads_since[{a.object, a.cell}].push_back(row);
        for (const auto& l : writes) {
            last_write[l] = row;
            reads_since[l].clear();
        }
    }
    return d;
}

std::vector<bool> involved_rows(const Dependencies& deps, const std::vector<int>& violation_rows) {
    std::vector<bool> involved(deps.causal.size(), false);
    std::vector<int> work;
    for (int row : violation_rows)
        if (row >= 0 && row < static_cast<int>(involved.size()) && !involved[row]) {
            involved[row] = true;
            work.push_back(row);
        }
    while (!work.empty()) {
        int row = work.back();
        work.pop_back();
        for (int dep : deps.causal[row])
            if (!involved[dep]) {
                involved[dep] = true;
                work.push_back(dep);
            }
    }
    return involved;
}

}  // namespace critsec::checker
