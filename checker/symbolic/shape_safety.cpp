#include "checker/symbolic/shape_safety.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "checker/symbolic/solver.hpp"
#include "checker/symbolic/transition_system.hpp"

namespace critsec::checker {
namespace {

// Why the children's lock use does not exclude a deadlock, or "". The
// extraction already refuses a release of a lock not held, a lock acquired
// twice, and main's joins of children it did not start.
std::string unsafe_lock_use(const TransitionSystem& ts) {
    for (const ChildRun& c : ts.children) {
        bool holding = false;
        for (const ChildStep& s : c.steps) {
            if (s.kind == ChildStep::Kind::Acquire && holding) return c.label + " acquires a lock while holding one";
            if (s.kind == ChildStep::Kind::Acquire) holding = true;
            if (s.kind == ChildStep::Kind::Release) holding = false;
        }
        if (holding) return c.label + " ends holding a lock";
    }
    return "";
}

// Why a runtime error is not excluded, or "". The extraction already refuses
// what could fail otherwise (a release of a lock not held, an index out of
// range, division but by a nonzero constant, conversions); what is left is a local computation beyond 64
// bits. Every loaded and final value lies in its cell's range (stores wrap), so
// that is one query over the run's inputs.
std::string overflow_possible(z3::context& ctx, const TransitionSystem& ts, double timeout) {
    if (ts.obligations.empty()) return "";
    auto within = [&](const z3::expr& v, const model::Typecode& t) { return v >= ctx.int_val(t.min()) && v <= ctx.int_val(t.max()); };
    z3::expr_vector premises(ctx), obligations(ctx);
    for (const auto& e : ts.inputs) premises.push_back(e);
    for (const auto& c : ts.children)
        for (const auto& s : c.steps)
            if (s.load) premises.push_back(within(*s.load, ts.cell_type[s.cell]));
    for (size_t k = 0; k < ts.cells.size(); ++k) premises.push_back(within(ts.final_cells[k], ts.cell_type[k]));
    for (const auto& o : ts.obligations) obligations.push_back(o);
    Solver solver(ctx, timeout);
    solver.add(z3::mk_and(premises) && !z3::mk_and(obligations));
    return solver.check().result == SatResult::Unsat ? "" : "a local computation may overflow 64 bits";
}

// True when nothing but main's joins can block: no Lock or Semaphore is ever
// acquired and no child joins. A join then waits for a child that cannot block,
// so some unfinished process can always move (a spin loop is not a deadlock).
// This needs no transition system, so it covers files and loops too.
bool only_main_joins_block(const model::Program& program) {
    auto blocks = [](const model::ProcessTemplate& t, bool is_main) {
        return std::any_of(t.code.begin(), t.code.end(), [&](const model::Instr& i) {
            return std::holds_alternative<model::Acquire>(i.node) || (!is_main && std::holds_alternative<model::Join>(i.node));
        });
    };
    if (blocks(program.main, true)) return false;
    return std::none_of(program.processes.begin(), program.processes.end(), [&](const auto& t) { return blocks(t, false); });
}

constexpr const char* kNoDeadlockBecause =
    "no child acquires a lock while holding one and each releases what it acquires, so a holder can always move, "
    "and main joins only children it started";

}  // namespace

ShapeSafety prove_safety_by_shape(const model::Program& program, const CheckOptions& options) {
    z3::context ctx;
    return prove_safety_by_shape(program, ctx, extract_transition_system(ctx, program, options.fixed_inputs), options);
}

ShapeSafety prove_safety_by_shape(const model::Program& program, z3::context& ctx, const Extraction& ex, const CheckOptions& options) {
    ShapeSafety out;
    try {
        if (!ex.system) {
            out.declined = ex.declined;
            if (only_main_joins_block(program))
                out.proved.push_back({PropertyKind::Deadlock, "deadlock", Verdict::Proved,
                                      "no deadlock (every interleaving and input): no process acquires a Lock or Semaphore and only main "
                                      "joins, so every join waits for a child that cannot block",
                                      std::nullopt, "deadlock"});
            return out;
        }
        const TransitionSystem& ts = *ex.system;
        std::string scope = fmt::format("{} process{}, every interleaving and input", ts.children.size() + 1, ts.children.empty() ? "" : "es");
        // Proved when `why_not` is empty, else the reason it was not.
        auto conclude = [&](PropertyKind kind, const char* name, const char* key, const std::string& why_not, const char* because) {
            if (!why_not.empty()) out.declined = why_not;
            else
                out.proved.push_back({kind, name, Verdict::Proved, fmt::format("no {} ({}): {}", name, scope, because), std::nullopt, key});
        };
        conclude(PropertyKind::Deadlock, "deadlock", "deadlock", unsafe_lock_use(ts), kNoDeadlockBecause);
        conclude(PropertyKind::RuntimeError, "runtime error", "runtime-error", overflow_possible(ctx, ts, options.timeout_seconds),
                 "no local computation overflows 64 bits, every release is by the holder, every index is in range");
    } catch (const z3::exception& e) {
        out.proved.clear();
        out.declined = std::string("z3: ") + e.msg();
    }
    return out;
}

}  // namespace critsec::checker
