#pragma once
// A spec's program after main's starts, as a transition system over Z3 terms,
// for the inductive engine (induction.hpp). Main's code and every child's code
// are executed symbolically once: control flow must be concrete (loops over
// ranges and lists unroll), randint draws become Int constants over their range,
// loads become state variables. What is left is, per child, a straight sequence
// of shared steps (acquire, release, load, store) whose terms mention only the
// run's constants and the child's own loaded values, and, for main, a sequence
// of starts and joins followed by sequential code (its asserts) that runs once
// every child it started is joined.
//
// Anything outside that shape (files, semaphores, symbolic branches, floor
// division and modulo, division by anything but a nonzero constant, strings,
// pids and floats beyond prints, main touching shared state while children run, ...)
// is declined with a reason: the inductive engine then says nothing.
#include <z3++.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "checker/symbolic/interval.hpp"
#include "model/program.hpp"

namespace critsec::checker {

// One shared cell: a Value, or one cell of an Array (its index is concrete).
struct CellRef {
    int object;
    int64_t cell;
    friend bool operator==(const CellRef&, const CellRef&) = default;
};

struct ChildStep {
    enum class Kind { Acquire, Release, Load, Store } kind = Kind::Acquire;
    int object = -1;                // the lock (Acquire, Release)
    int cell = -1;                  // index into TransitionSystem::cells (Load, Store)
    std::optional<z3::expr> load;   // Load: the state variable it sets
    std::optional<z3::expr> value;  // Store: the stored value (before wrap-around)
    std::vector<int> read_from;     // Store: indices (in this child's steps) of the loads of the same cell it was computed from
};

struct ChildRun {
    int instance;                  // 1-based, as the semantics numbers them
    std::string label;             // `Adder#3`
    std::vector<ChildStep> steps;  // pc i is "before steps[i]"; steps.size() is finished
};

struct MainEvent {
    enum class Kind { Start, Join } kind;
    int child;  // index into TransitionSystem::children
};

// An assert main reaches once every child it started is joined: its condition
// over the final cells (cells[k] stands for the final value of cell k).
struct FinalAssert {
    int assert_id;
    z3::expr cond;
};

struct TransitionSystem {
    explicit TransitionSystem(z3::context& ctx) : inputs(ctx), final_cells(ctx) {}
    std::vector<CellRef> cells;
    std::vector<int64_t> cell_initial;
    std::vector<model::Typecode> cell_type;
    std::vector<int> locks;  // lock objects the children use
    std::vector<ChildRun> children;
    std::vector<MainEvent> main_events;  // starts and joins, in main's order
    z3::expr_vector inputs;              // constraints on the run's constants (draw ranges)
    std::vector<RangedConstant> draws;   // the same ranges, per constant
    std::vector<z3::expr> obligations;   // must hold under `inputs` and cell ranges (no 64-bit overflow in locals)
    z3::expr_vector final_cells;         // main's view of each cell after the last join
    std::vector<FinalAssert> asserts;
};

struct Extraction {
    std::optional<TransitionSystem> system;
    std::string declined;  // why not, when `system` is empty
};

// Whether a child's instruction is one of its ChildSteps (a load, a store, an
// acquire or a release); the system keeps no other step of a child (prints and
// sleeps are private).
bool is_child_step(const model::InstrNode& node);

// `fixed_inputs`: main's draws in order; beyond them, main's draws are made by
// `choose(index, low, high)` when it is given, and stay symbolic otherwise.
using DrawChooser = std::function<int64_t(int index, int64_t low, int64_t high)>;
Extraction extract_transition_system(z3::context& ctx, const model::Program& program,
                                     const std::optional<std::vector<int64_t>>& fixed_inputs, const DrawChooser* choose = nullptr);

}  // namespace critsec::checker
