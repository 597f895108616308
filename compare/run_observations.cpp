#include "compare/run_observations.hpp"

#include <map>
#include <string_view>
#include <utility>
#include <variant>

#include "compare/observed_outcome.hpp"
#include "compare/trace_validation.hpp"

namespace critsec::compare {

namespace {
// What the spec can lose an update through: a store, or a file write, computed from a load of its own cell.
struct ReadModifyWrite {
    bool cells = false;
    bool files = false;
};

ReadModifyWrite read_modify_writes(const model::Program& program) {
    ReadModifyWrite out;
    auto in = [&out](const model::ProcessTemplate& t) {
        for (const auto& instr : t.code) {
            if (const auto* s = std::get_if<model::Store>(&instr.node); s && !s->read_from.empty()) out.cells = true;
            if (const auto* w = std::get_if<model::FileWrite>(&instr.node); w && !w->read_from.empty()) out.files = true;
        }
    };
    in(program.main);
    for (const auto& t : program.processes) in(t);
    return out;
}

// `total.value` of "load total.value = 3"; empty when `what` is not `kind` of a cell.
std::string_view cell_of(std::string_view what, std::string_view kind) {
    if (what.substr(0, kind.size()) != kind) return {};
    size_t eq = what.find(" = ", kind.size());
    return eq == std::string_view::npos ? std::string_view{} : what.substr(kind.size(), eq - kind.size());
}

// Whether a run's log has, for some cell, a process's load, then another's store,
// then the first one's store: every lost update of a Value or an Array cell does.
// A scan of the log's texts, so that only such runs pay for the replay that decides.
bool may_lose_cell_update(const std::vector<runtime::LoggedEvent>& events) {
    std::map<std::pair<int, std::string_view>, bool> loaded;  // (process, cell) -> written by another since
    for (const auto& e : events) {
        if (std::string_view cell = cell_of(e.what, "load "); !cell.empty()) {
            loaded.try_emplace({e.instance, cell}, false);
            continue;
        }
        std::string_view cell = cell_of(e.what, "store ");
        if (cell.empty()) continue;
        auto own = loaded.find({e.instance, cell});
        if (own != loaded.end() && own->second) return true;
        for (auto& [key, stale] : loaded)
            if (key.first != e.instance && key.second == cell) stale = true;
    }
    return false;
}
}  // namespace

RunObservations::RunObservations(const model::Program& program) : program_(program) {
    ReadModifyWrite rmw = read_modify_writes(program);
    can_lose_update_ = rmw.cells || rmw.files;
    only_cells_ = !rmw.files;
}

void RunObservations::add(const runtime::RunResult& run, uint64_t index) {
    if (runs_++ == 0) first_inputs_ = run.inputs;
    else if (same_inputs_ && run.inputs != first_inputs_) {
        same_inputs_ = false;  // no coverage line: its outcomes are no longer needed
        outcomes_.clear();
    }
    bool watch_lost = can_lose_update_ && !lost_seen_ && (!only_cells_ || may_lose_cell_update(run.log.events));
    if (!watch_lost && !same_inputs_) return;
    std::string observed = observed_outcome_text(program_, run);
    if (watch_lost && !validate_trace(program_, run, observed).lost_update.empty()) {
        lost_seen_ = true;
        first_lost_ = index;
    }
    if (same_inputs_) outcomes_.insert(std::move(observed));
}

std::optional<bool> RunObservations::lost_update_seen() const {
    if (!can_lose_update_) return std::nullopt;
    return lost_seen_;
}

std::optional<std::vector<int64_t>> RunObservations::common_inputs() const {
    if (!same_inputs_ || runs_ == 0) return std::nullopt;
    return first_inputs_;
}

}  // namespace critsec::compare
