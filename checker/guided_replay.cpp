#include "checker/guided_replay.hpp"

namespace critsec::checker {
namespace {

bool is_shared_step(const model::InstrNode& node) {
    return std::holds_alternative<model::Load>(node) || std::holds_alternative<model::Store>(node) ||
           std::holds_alternative<model::Acquire>(node) || std::holds_alternative<model::Release>(node);
}

class Guide {
public:
    explicit Guide(const Machine& machine) : machine_(machine), state_(machine.prepared().program) {}

    std::optional<GuidedRun> run(const std::vector<int>& instances) {
        auto first = machine_.initial();
        if (first.size() != 1 || first.front().cut) return std::nullopt;
        path_.push_back(first.front().move);
        state_ = std::move(first.front().next);
        for (int instance : instances) {
            run_main();
            auto index = index_of(instance);
            if (!index) return std::nullopt;
            while (!finished(*index) && !next_is_shared(*index))
                if (!take(*index)) return std::nullopt;
            if (finished(*index) || !take(*index)) return std::nullopt;
        }
        // What is left is main's joins and final code, and children's private steps.
        for (bool moved = true; moved;) {
            moved = false;
            for (size_t i = 0; i < state_.world.processes.size(); ++i) {
                if (state_.world.processes[i].instance != 0 && !finished(i) && next_is_shared(i)) return std::nullopt;
                while (take(i)) moved = true;
            }
        }
        return GuidedRun{std::move(path_), std::move(state_)};
    }

private:
    std::optional<size_t> index_of(int instance) const {
        for (size_t i = 0; i < state_.world.processes.size(); ++i)
            if (state_.world.processes[i].instance == instance) return i;
        return std::nullopt;
    }
    bool finished(size_t index) const { return state_.world.processes[index].finished; }
    bool next_is_shared(size_t index) const {
        const auto& p = state_.world.processes[index];
        const auto& code = machine_.prepared().code(p.process).code;
        return p.pc < static_cast<int>(code.size()) && is_shared_step(code[p.pc].node);
    }
    // Main's steps (starts, joins, prints, and its code once every child is
    // joined) commute with every child's step: taken whenever main can move.
    void run_main() {
        if (auto main = index_of(0))
            while (take(*main)) {}
    }
    bool take(size_t index) {
        auto moves = machine_.move(state_, index);
        if (moves.size() != 1 || moves.front().cut) return false;
        path_.push_back(std::move(moves.front().move));
        state_ = std::move(moves.front().next);
        return true;
    }

    const Machine& machine_;
    MachineState state_;
    std::vector<Move> path_;
};

}  // namespace

std::optional<GuidedRun> follow_shared_step_order(const Machine& machine, const std::vector<int>& instances) {
    return Guide(machine).run(instances);
}

}  // namespace critsec::checker
