#include "checker/witness/witness_completion.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "checker/explorer/machine.hpp"

namespace critsec::checker {

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        out.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

}  // namespace

namespace {

CompletedWitness lasso_turns(const PreparedProgram& prepared, const Witness& witness) {
    CompletedWitness out;
    out.own_steps = witness.steps.size();
    Witness turns = witness;
    for (int k = 1; k < kCycleTurns; ++k)
        for (size_t i = static_cast<size_t>(witness.cycle_from); i < witness.steps.size(); ++i) turns.steps.push_back(witness.steps[i]);
    out.replayed = replay_witness(prepared, turns);
    out.witness = out.replayed.witness;
    if (!out.replayed.ok) out.problem = out.replayed.problem;
    return out;
}

}  // namespace

CompletedWitness complete_witness(const PreparedProgram& prepared, const Witness& witness, size_t max_steps) {
    if (witness.cycle_from >= 0) return lasso_turns(prepared, witness);
    CompletedWitness out;
    out.own_steps = witness.steps.size();
    Machine machine(prepared, Watch{}, DrawPolicy{}, 1 << 30, false);
    auto init = machine.replay(MachineState(prepared.program), -1, witness.draws, witness.inputs);
    if (!init) {
        out.problem = "main's first local code does not replay";
        return out;
    }
    MachineState s = std::move(init->next);
    take_loop_markers(machine, s, 0, witness);
    Witness full = witness;
    for (size_t k = 0; k < witness.steps.size(); ++k) {
        int who = witness.steps[k].instance;
        auto t = machine.replay(s, who, witness.draws, witness.inputs);
        if (!t) {
            out.problem = fmt::format("step {} of the witness: instance {} cannot move", k + 1, who);
            return out;
        }
        s = std::move(t->next);
        take_loop_markers(machine, s, who, witness);
    }
    int last = witness.steps.empty() ? 0 : witness.steps.back().instance;
    while (full.steps.size() < max_steps) {
        std::vector<int> order;
        for (const auto& p : s.world.processes) order.push_back(p.instance);
        std::sort(order.begin(), order.end());
        // Round robin from the one after the last mover, so that a spinning process cannot starve the rest.
        std::rotate(order.begin(), std::upper_bound(order.begin(), order.end(), last), order.end());
        bool moved = false;
        for (int who : order) {
            auto t = machine.replay(s, who, witness.draws, witness.inputs);
            if (!t) continue;
            s = std::move(t->next);
            take_loop_markers(machine, s, who, witness);
            TraceStep step{};
            step.instance = who;
            full.steps.push_back(step);
            last = who;
            moved = true;
            break;
        }
        if (!moved) {
            out.complete = true;
            break;
        }
    }
    if (!out.complete) out.problem = fmt::format("no end within {} steps", max_steps);
    out.replayed = replay_witness(prepared, full);
    out.witness = out.replayed.witness;
    if (!out.replayed.ok && out.problem.empty()) out.problem = out.replayed.problem;
    return out;
}

ModelEnd model_end(const model::Program& program, const Replayed& replayed) {
    ModelEnd end;
    if (replayed.worlds.empty()) return end;
    const model::MemoryWorld& world = replayed.worlds.back();
    std::vector<std::string> failed_lines;
    for (const auto& p : world.processes)
        if (!p.error.empty()) {
            failed_lines.push_back(fmt::format("{} failed: {}", p.label, p.error));
            end.failures.push_back(fmt::format("{}: {}", p.label, p.error));
        }
    for (auto& line : lines_of(world.outcome_text()))
        if (std::find(failed_lines.begin(), failed_lines.end(), line) == failed_lines.end()) end.state.push_back(line);
    const Witness& w = replayed.witness;
    if (w.cycle_from >= 0) {
        // Who moves in the cycle spins; the other unfinished processes wait for good.
        for (const auto& p : world.processes) {
            if (p.finished) continue;
            bool moves =
                std::any_of(w.steps.begin() + w.cycle_from, w.steps.end(), [&](const TraceStep& s) { return s.instance == p.instance; });
            (moves ? end.spinning : end.blocked).push_back(p.label);
        }
        return end;
    }
    for (const auto& line : lines_of(replayed.outcome)) {
        if (line.rfind("main prints: ", 0) == 0) end.main_prints.push_back(line.substr(13));
        const std::string dead = "deadlock: ", tail = " blocked";
        if (line.rfind(dead, 0) == 0 && line.size() > dead.size() + tail.size()) {
            std::string names = line.substr(dead.size(), line.size() - dead.size() - tail.size());
            size_t start = 0;
            while (start <= names.size()) {
                size_t comma = names.find(", ", start);
                if (comma == std::string::npos) comma = names.size();
                end.blocked.push_back(names.substr(start, comma - start));
                start = comma + 2;
            }
        }
    }
    return end;
}

}  // namespace critsec::checker
