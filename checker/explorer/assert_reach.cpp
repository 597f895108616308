#include "checker/explorer/assert_reach.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <variant>

#include "checker/budget.hpp"
#include "checker/explorer/fingerprint_set.hpp"
#include "checker/explorer/machine.hpp"

namespace critsec::checker {
namespace {

struct Search {
    bool complete = false;
    std::string stopped;  // why it was not
    bool too_many_inputs = false;
};

// The assert a move ran, or -1.
int assert_ran(const PreparedProgram& prepared, const MachineState& before, size_t index, const Transition& t) {
    const model::ProcessState& p = before.world.processes[index];
    const auto& code = prepared.code(p.process).code;
    if (t.pc_before < 0 || t.pc_before >= static_cast<int>(code.size())) return -1;
    const auto* a = std::get_if<model::AssertStep>(&code[t.pc_before].node);
    return a ? a->assert_id : -1;
}

// Depth-first over every move until each wanted assert has run; `reached` is by assert id.
Search search(const PreparedProgram& prepared, DrawPolicy draws, const ReachOptions& options, std::vector<char>& reached,
              size_t& wanted) {
    Machine machine(prepared, Watch{}, std::move(draws), kLoopsUncounted, false, false);
    FingerprintSet seen;
    std::vector<MachineState> stack;
    size_t states = 0;
    auto arrive = [&](Transition& t) {
        machine.canonicalize(t.next);
        if (seen.insert(machine.fingerprint(t.next))) {
            ++states;
            stack.push_back(std::move(t.next));
        }
    };
    try {
        for (auto& t : machine.initial()) arrive(t);
        while (!stack.empty() && wanted > 0) {
            if (states > options.max_states) return {false, fmt::format("stopped after {} states", options.max_states)};
            if (options.budget && options.budget->due())
                if (auto why = options.budget->check(states, [&] { return stack.size(); }, "reach")) return {false, *why};
            MachineState state = std::move(stack.back());
            stack.pop_back();
            for (size_t i = 0; i < state.world.processes.size(); ++i)
                for (auto& t : machine.move(state, i)) {
                    int id = assert_ran(prepared, state, i, t);
                    if (id >= 0 && id < static_cast<int>(reached.size()) && !reached[id]) {
                        reached[id] = 1;
                        --wanted;
                    }
                    arrive(t);
                }
        }
    } catch (const TooManyInputs& e) {
        return {false, e.what(), true};
    } catch (const std::bad_alloc&) {
        return {false, out_of_memory(options.budget)};
    }
    return {stack.empty(), wanted == 0 ? "" : "stopped early"};
}

}  // namespace

std::vector<AssertReach> reach_asserts(const PreparedProgram& prepared, const std::vector<int>& asserts, const ReachOptions& options) {
    std::vector<char> reached(prepared.program.asserts.size(), 0);
    for (int id : asserts)
        if (id < 0 || id >= static_cast<int>(reached.size())) throw std::out_of_range("reach_asserts: no assert " + std::to_string(id));

    DrawPolicy one;
    if (options.fixed_inputs) one.main_inputs = options.fixed_inputs;
    else one.main_choice = [](int, int64_t low, int64_t) { return low; };
    one.max_branching = options.max_input_combinations;
    size_t wanted = asserts.size();
    Search all = search(prepared, one, options, reached, wanted);
    std::string scope = options.fixed_inputs ? "the fixed inputs" : "every input";
    bool sampled = false;
    if (wanted > 0 && !options.fixed_inputs) {
        DrawPolicy every;
        every.max_branching = options.max_input_combinations;
        all = search(prepared, every, options, reached, wanted);
        if (all.too_many_inputs) {
            // Too many combinations to search them all: the other end of every range too.
            DrawPolicy high = one;
            high.main_choice = [](int, int64_t, int64_t high_end) { return high_end; };
            Search other = search(prepared, high, options, reached, wanted);
            sampled = other.complete;
        }
    }
    std::vector<AssertReach> out;
    for (int id : asserts) {
        AssertReach r{id, Reach::Undecided, ""};
        if (reached[id]) r.reach = Reach::Reached;
        else if (all.complete) {
            r.reach = Reach::Unreached;
            r.why = fmt::format("no execution reaches it (every interleaving, {})", scope);
        } else if (sampled) {
            r.reach = Reach::NotReachedSampled;
            r.why = "no execution tried reaches it (every interleaving, main's draws all at the low ends, then all at the high ends; " +
                    all.stopped + ")";
        } else r.why = all.stopped;
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace critsec::checker
