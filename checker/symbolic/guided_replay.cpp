#include "checker/symbolic/guided_replay.hpp"

#include "checker/symbolic/transition_system.hpp"

namespace critsec::checker {
namespace {

class Guide {
public:
    explicit Guide(const Machine& machine) : machine_(machine), state_(machine.prepared().program) {}

    std::optional<GuidedRun> run(const std::vector<int>& instances) {
        auto first = machine_.initial();
        if (first.size() != 1 || first.front().cut) return std::nullopt;
        path_.push_back(first.front().move);
        state_ = std::move(first.front().next);
        for (int instance : instances) {
            settle();
            auto index = index_of(instance);
            if (!index) return std::nullopt;
            while (!finished(*index) && !next_is_shared(*index))
                if (!take(*index)) return std::nullopt;
            if (finished(*index) || !take(*index)) return std::nullopt;
        }
        // What is left is main's joins and final code, and children's private steps.
        settle();
        for (size_t i = 0; i < state_.world.processes.size(); ++i)
            if (!finished(i)) return std::nullopt;
        return GuidedRun{std::move(path_), std::move(state_)};
    }

private:
    std::optional<size_t> index_of(int instance) const {
        for (size_t i = 0; i < state_.world.processes.size(); ++i)
            if (process(i).instance == instance) return i;
        return std::nullopt;
    }
    const model::ProcessState& process(size_t index) const { return state_.world.processes[index]; }
    bool finished(size_t index) const { return process(index).finished; }
    bool next_is_shared(size_t index) const {
        const auto& p = process(index);
        const auto& code = machine_.prepared().code(p.process).code;
        return p.pc < static_cast<int>(code.size()) && is_child_step(code[p.pc].node);
    }
    // Main's steps (starts, joins, prints, and its code once every child is
    // joined) and children's private steps (prints, sleeps) commute with every
    // shared step: taken whenever they can be. A child's last prints may be
    // what main's join waits for, before it starts the next child.
    void settle() {
        for (bool moved = true; moved;) {
            moved = false;
            for (size_t i = 0; i < state_.world.processes.size(); ++i) {
                bool main = process(i).instance == 0;
                while (!finished(i) && (main || !next_is_shared(i)) && take(i)) moved = true;
            }
        }
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
