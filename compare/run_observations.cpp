#include "compare/run_observations.hpp"

#include <variant>

#include "compare/observed_outcome.hpp"
#include "compare/trace_validation.hpp"

namespace critsec::compare {

namespace {
// A store or file write computed from a load of its own cell: the only kind of step that can lose an update.
bool has_read_modify_write(const model::Program& program) {
    auto in = [](const model::ProcessTemplate& t) {
        for (const auto& instr : t.code) {
            if (const auto* s = std::get_if<model::Store>(&instr.node); s && !s->read_from.empty()) return true;
            if (const auto* w = std::get_if<model::FileWrite>(&instr.node); w && !w->read_from.empty()) return true;
        }
        return false;
    };
    if (in(program.main)) return true;
    for (const auto& t : program.processes)
        if (in(t)) return true;
    return false;
}
}  // namespace

RunObservations::RunObservations(const model::Program& program) : program_(program), can_lose_update_(has_read_modify_write(program)) {}

void RunObservations::add(const runtime::RunResult& run, uint64_t index) {
    if (runs_++ == 0) first_inputs_ = run.inputs;
    else if (same_inputs_ && run.inputs != first_inputs_) {
        same_inputs_ = false;  // no coverage line: its outcomes are no longer needed
        outcomes_.clear();
    }
    bool watch_lost = can_lose_update_ && !lost_seen_;
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
