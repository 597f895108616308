#include "checker/induction.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>

#include "checker/solver.hpp"
#include "checker/transition_system.hpp"

namespace critsec::checker {
namespace {

using Clock = std::chrono::steady_clock;

struct NotInductive {
    std::string why;
};

bool mentions_any(const z3::expr& e, const std::vector<z3::expr>& vars) {
    if (e.is_app() && e.num_args() == 0) {
        for (const auto& v : vars)
            if (z3::eq(e, v)) return true;
        return false;
    }
    if (e.is_app())
        for (unsigned i = 0; i < e.num_args(); ++i)
            if (mentions_any(e.arg(i), vars)) return true;
    return !e.is_app() && !e.is_numeral();
}

// A store `cell := load + inc` of one child, where `load` is its own earlier load of that cell.
struct Increment {
    int step;     // the store
    int load;     // the load it reads (a step index)
    int cell;
    z3::expr inc; // fixed for the run: mentions no loaded value
};

class Prover {
public:
    Prover(z3::context& ctx, const TransitionSystem& ts, double timeout)
        : ctx_(ctx), ts_(ts), solver_(ctx, timeout), m_(ctx.int_const("main!pc")),
          deadline_(Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout))) {
        for (size_t i = 0; i < ts.children.size(); ++i) pc_.push_back(ctx.int_const(fmt::format("pc!{}", i).c_str()));
        for (size_t k = 0; k < ts.cells.size(); ++k) cell_.push_back(ctx.int_const(fmt::format("cell!{}", k).c_str()));
        for (int lock : ts.locks) holder_.push_back(ctx.int_const(fmt::format("holder!{}", lock).c_str()));
        for (const auto& c : ts.children)
            for (const auto& s : c.steps)
                if (s.load) loads_.push_back(*s.load);
    }

    int transitions = 0;

    std::vector<PropertyResult> prove(const model::Program& program, std::string& declined) {
        find_increments();
        z3::expr inputs = z3::mk_and(ts_.inputs);
        solver_.add(inputs);
        check_obligations();
        z3::expr_vector inv = invariant();
        for (unsigned c = 0; c < inv.size(); ++c) inv_vars_.push_back(variables(inv[c]));
        check_initiation(inv);
        check_consecution(inv);
        solver_.add(z3::mk_and(inv));
        std::vector<PropertyResult> out = check_asserts(program, declined);
        // The invariant is inductive: every step's obligations held in every reachable state.
        std::string scope = fmt::format("{} processes, every interleaving and input; by an inductive invariant, {} transitions checked",
                                        ts_.children.size() + 1, transitions);
        // In the explorer's order: lost update, deadlock, runtime error.
        if (auto r = no_lost_update(scope)) out.push_back(*r);
        if (auto r = no_deadlock(scope)) out.push_back(*r);
        out.push_back({PropertyKind::RuntimeError, "runtime error", Verdict::Proved,
                       fmt::format("no runtime error ({}): no store wraps, no local overflows, every release is by the holder", scope),
                       std::nullopt, "runtime-error"});
        return out;
    }

private:
    int lock_index(int object) const {
        for (size_t l = 0; l < ts_.locks.size(); ++l)
            if (ts_.locks[l] == object) return static_cast<int>(l);
        return -1;
    }
    z3::expr num(int64_t v) const { return ctx_.int_val(v); }
    // pc in (after, upto]: the step at `after` has run and the one at `upto` has not.
    z3::expr between(const z3::expr& pc, int after, int upto) const { return pc > num(after) && pc <= num(upto); }

    void find_increments() {
        incs_.resize(ts_.children.size());
        for (size_t i = 0; i < ts_.children.size(); ++i) {
            const auto& steps = ts_.children[i].steps;
            for (size_t j = 0; j < steps.size(); ++j) {
                const ChildStep& s = steps[j];
                if (s.kind != ChildStep::Kind::Store) continue;
                if (s.read_from.size() != 1) throw NotInductive{"a store that is not an increment of the value it read"};
                int l = s.read_from[0];
                if (steps[l].kind != ChildStep::Kind::Load || steps[l].cell != s.cell)
                    throw NotInductive{"a store computed from another cell"};
                z3::expr inc = (*s.value - *steps[l].load).simplify();
                if (mentions_any(inc, loads_)) throw NotInductive{"a store that is not its load plus a fixed amount"};
                incs_[i].push_back({static_cast<int>(j), l, s.cell, inc});
            }
        }
    }

    // Every loaded value and final cell lies in its cell's range (stores wrap),
    // so locals computed from them must stay within 64 bits.
    void check_obligations() {
        if (ts_.obligations.empty()) return;
        solver_.push();
        for (const auto& c : ts_.children)
            for (const auto& s : c.steps)
                if (s.load) solver_.add(in_range(*s.load, ts_.cell_type[s.cell]));
        for (size_t k = 0; k < ts_.cells.size(); ++k) solver_.add(in_range(ts_.final_cells[k], ts_.cell_type[k]));
        solver_.add(!z3::mk_and(vec(ts_.obligations)));
        SolveResult r = check();
        solver_.pop();
        if (r.result != SatResult::Unsat) throw NotInductive{"a local computation may overflow 64 bits"};
    }

    z3::expr_vector vec(const std::vector<z3::expr>& v) const {
        z3::expr_vector out(ctx_);
        for (const auto& e : v) out.push_back(e);
        return out;
    }
    z3::expr in_range(const z3::expr& v, const model::Typecode& t) const { return v >= num(t.min()) && v <= num(t.max()); }

    z3::expr_vector invariant() {
        z3::expr_vector conj(ctx_);
        int events = static_cast<int>(ts_.main_events.size());
        conj.push_back(m_ >= 0 && m_ <= num(events));
        std::vector<z3::expr> sums;
        for (size_t k = 0; k < ts_.cells.size(); ++k) sums.push_back(num(ts_.cell_initial[k]));
        for (size_t i = 0; i < ts_.children.size(); ++i) {
            const ChildRun& c = ts_.children[i];
            int end = static_cast<int>(c.steps.size());
            int started = -1, joined = -1;
            for (int e = 0; e < events; ++e) {
                if (ts_.main_events[e].child != static_cast<int>(i)) continue;
                (ts_.main_events[e].kind == MainEvent::Kind::Start ? started : joined) = e;
            }
            conj.push_back(z3::implies(m_ <= num(started), pc_[i] == -1));
            conj.push_back(z3::implies(m_ > num(started), pc_[i] >= 0 && pc_[i] <= num(end)));
            if (joined >= 0) conj.push_back(z3::implies(m_ > num(joined), pc_[i] == num(end)));
            for (const Increment& inc : incs_[i]) {
                sums[inc.cell] = sums[inc.cell] + z3::ite(pc_[i] > num(inc.step), inc.inc, num(0));
                conj.push_back(z3::implies(between(pc_[i], inc.load, inc.step), *c.steps[inc.load].load == cell_[inc.cell]));
            }
            for (size_t l = 0; l < ts_.locks.size(); ++l) conj.push_back(inside(i, static_cast<int>(l)) == (holder_[l] == num(c.instance)));
        }
        for (size_t k = 0; k < ts_.cells.size(); ++k) conj.push_back(cell_[k] == sums[k]);
        for (size_t l = 0; l < ts_.locks.size(); ++l) {
            z3::expr_vector who(ctx_);
            who.push_back(holder_[l] == -1);
            for (const auto& c : ts_.children) who.push_back(holder_[l] == num(c.instance));
            conj.push_back(z3::mk_or(who));
        }
        return conj;
    }

    // Child i holds lock l: its pc lies after an acquire of it and up to the matching release.
    z3::expr inside(size_t i, int l) const {
        const auto& steps = ts_.children[i].steps;
        z3::expr_vector spans(ctx_);
        int from = -1;
        for (size_t j = 0; j < steps.size(); ++j) {
            if (lock_index(steps[j].object) != l) continue;
            if (steps[j].kind == ChildStep::Kind::Acquire) from = static_cast<int>(j);
            else if (steps[j].kind == ChildStep::Kind::Release && from >= 0) {
                spans.push_back(between(pc_[i], from, static_cast<int>(j)));
                from = -1;
            }
        }
        if (from >= 0) spans.push_back(pc_[i] > num(from));  // held to the end
        return spans.empty() ? ctx_.bool_val(false) : z3::mk_or(spans);
    }

    // Is `inv` with `from` replaced by `to` implied (with `obligations`) under `pre`?
    void step_holds(const z3::expr_vector& inv, const z3::expr& pre, const std::vector<std::pair<z3::expr, z3::expr>>& subst,
                    const z3::expr& obligation, const std::string& what) {
        z3::expr_vector from(ctx_), to(ctx_);
        for (const auto& [f, t] : subst) {
            from.push_back(f);
            to.push_back(t);
        }
        // Frame lemmas: a conjunct the transition does not touch is the same term
        // (Z3 shares terms) and already assumed, so only touched ones are goals.
        z3::expr_vector touched(ctx_);
        for (unsigned c = 0; c < inv.size(); ++c) {
            z3::expr after = z3::expr(inv[c]).substitute(from, to);
            if (!z3::eq(after, inv[c])) touched.push_back(after);
        }
        z3::expr goal = obligation && z3::mk_and(touched);
        // The premises that share a variable with the goal usually suffice, and a
        // query over them is far smaller than one over the whole invariant (whose
        // lock and sum conjuncts span every process); fewer premises never make
        // a proof unsound, and the whole invariant is the fallback.
        std::set<unsigned> near = variables(goal && pre);
        z3::expr_vector premises(ctx_);
        for (unsigned c = 0; c < inv.size(); ++c)
            if (std::any_of(inv_vars_[c].begin(), inv_vars_[c].end(), [&](unsigned v) { return near.count(v) > 0; })) premises.push_back(inv[c]);
        SolveResult r = refute(pre && z3::mk_and(premises), goal);
        if (r.result != SatResult::Unsat) r = refute(pre && z3::mk_and(inv), goal);
        ++transitions;
        if (r.result == SatResult::Unsat) return;
        throw NotInductive{r.result == SatResult::Sat ? fmt::format("the candidate invariant is not preserved by {}", what)
                                                      : fmt::format("Z3 gave up on {} ({})", what, r.reason)};
    }

    SolveResult refute(const z3::expr& premises, const z3::expr& goal) {
        solver_.push();
        solver_.add(premises);
        solver_.add(!goal);
        SolveResult r = check();
        solver_.pop();
        return r;
    }

    // The state variables and constants a term mentions, by Z3 id.
    static std::set<unsigned> variables(const z3::expr& e) {
        std::set<unsigned> out, seen;
        std::vector<z3::expr> todo{e};
        while (!todo.empty()) {
            z3::expr t = todo.back();
            todo.pop_back();
            if (!seen.insert(t.id()).second) continue;
            if (t.is_const() && !t.is_numeral() && !t.is_true() && !t.is_false()) out.insert(t.id());
            if (t.is_app())
                for (unsigned i = 0; i < t.num_args(); ++i) todo.push_back(t.arg(i));
        }
        return out;
    }

    void check_initiation(const z3::expr_vector& inv) {
        std::vector<std::pair<z3::expr, z3::expr>> s0{{m_, num(0)}};
        for (const auto& pc : pc_) s0.push_back({pc, num(-1)});
        for (size_t k = 0; k < cell_.size(); ++k) s0.push_back({cell_[k], num(ts_.cell_initial[k])});
        for (const auto& h : holder_) s0.push_back({h, num(-1)});
        step_holds(inv, ctx_.bool_val(true), s0, ctx_.bool_val(true), "the initial state");
    }

    void check_consecution(const z3::expr_vector& inv) {
        z3::expr yes = ctx_.bool_val(true);
        for (size_t e = 0; e < ts_.main_events.size(); ++e) {
            const MainEvent& ev = ts_.main_events[e];
            const ChildRun& c = ts_.children[ev.child];
            z3::expr pre = m_ == num(static_cast<int64_t>(e));
            std::vector<std::pair<z3::expr, z3::expr>> s{{m_, num(static_cast<int64_t>(e) + 1)}};
            if (ev.kind == MainEvent::Kind::Start) s.push_back({pc_[ev.child], num(0)});
            else pre = pre && pc_[ev.child] == num(static_cast<int64_t>(c.steps.size()));
            step_holds(inv, pre, s, yes, fmt::format("main's {} of {}", ev.kind == MainEvent::Kind::Start ? "start" : "join", c.label));
        }
        for (size_t i = 0; i < ts_.children.size(); ++i) {
            const ChildRun& c = ts_.children[i];
            for (size_t j = 0; j < c.steps.size(); ++j) {
                const ChildStep& st = c.steps[j];
                z3::expr pre = pc_[i] == num(static_cast<int64_t>(j));
                z3::expr obligation = yes;
                std::vector<std::pair<z3::expr, z3::expr>> s{{pc_[i], num(static_cast<int64_t>(j) + 1)}};
                switch (st.kind) {
                    case ChildStep::Kind::Acquire:
                        pre = pre && holder_[lock_index(st.object)] == -1;
                        s.push_back({holder_[lock_index(st.object)], num(c.instance)});
                        break;
                    case ChildStep::Kind::Release:
                        // Releasing a lock another process holds would be a runtime error.
                        obligation = holder_[lock_index(st.object)] == num(c.instance);
                        s.push_back({holder_[lock_index(st.object)], num(-1)});
                        break;
                    case ChildStep::Kind::Load: s.push_back({*st.load, cell_[st.cell]}); break;
                    case ChildStep::Kind::Store:
                        // In range, the store's wrap-around is the identity.
                        obligation = in_range(*st.value, ts_.cell_type[st.cell]);
                        s.push_back({cell_[st.cell], *st.value});
                        break;
                }
                step_holds(inv, pre, s, obligation, fmt::format("{}'s step {}", c.label, j + 1));
            }
        }
    }

    // A reachable state where main waits at a join and no child can move.
    std::optional<PropertyResult> no_deadlock(const std::string& scope) {
        int events = static_cast<int>(ts_.main_events.size());
        z3::expr_vector main_can(ctx_);
        for (int e = 0; e < events; ++e) {
            const MainEvent& ev = ts_.main_events[e];
            z3::expr ready = ev.kind == MainEvent::Kind::Start
                                 ? ctx_.bool_val(true)
                                 : pc_[ev.child] == num(static_cast<int64_t>(ts_.children[ev.child].steps.size()));
            main_can.push_back(m_ == num(e) && ready);
        }
        z3::expr_vector stuck(ctx_);
        stuck.push_back(m_ < num(events));
        stuck.push_back(!z3::mk_or(main_can));
        for (size_t i = 0; i < ts_.children.size(); ++i) {
            const auto& steps = ts_.children[i].steps;
            z3::expr can = pc_[i] >= 0 && pc_[i] < num(static_cast<int64_t>(steps.size()));
            for (size_t j = 0; j < steps.size(); ++j)
                if (steps[j].kind == ChildStep::Kind::Acquire)
                    can = can && z3::implies(pc_[i] == num(static_cast<int64_t>(j)), holder_[lock_index(steps[j].object)] == -1);
            stuck.push_back(!can);
        }
        if (!unsat_with(z3::mk_and(stuck))) return std::nullopt;
        return PropertyResult{PropertyKind::Deadlock, "deadlock", Verdict::Proved, fmt::format("no deadlock ({})", scope), std::nullopt,
                              "deadlock"};
    }

    // Another process's store to a cell while a process sits between its load of
    // that cell and the increment it stores (the lost-update pattern).
    std::optional<PropertyResult> no_lost_update(const std::string& scope) {
        for (size_t j = 0; j < ts_.children.size(); ++j) {
            for (const Increment& store : incs_[j]) {
                z3::expr_vector exposed(ctx_);
                for (size_t i = 0; i < ts_.children.size(); ++i) {
                    if (i == j) continue;
                    for (const Increment& inc : incs_[i])
                        if (inc.cell == store.cell) exposed.push_back(between(pc_[i], inc.load, inc.step));
                }
                if (exposed.empty()) continue;
                if (!unsat_with(pc_[j] == num(store.step) && z3::mk_or(exposed))) return std::nullopt;
            }
        }
        return PropertyResult{PropertyKind::LostUpdate, "lost update", Verdict::Proved, fmt::format("no lost update ({})", scope),
                              std::nullopt, "lost-update"};
    }

    // One budget for the whole proof, not one per query.
    SolveResult check(const std::vector<z3::expr>& assumptions = {}) {
        solver_.set_timeout(std::chrono::duration<double>(deadline_ - Clock::now()).count());
        return solver_.check(assumptions);
    }

    bool unsat_with(const z3::expr& e) {
        solver_.push();
        solver_.add(e);
        SolveResult r = check();
        solver_.pop();
        return r.result == SatResult::Unsat;
    }

    std::vector<PropertyResult> check_asserts(const model::Program& program, std::string& declined) {
        std::vector<PropertyResult> out;
        solver_.push();
        solver_.add(m_ == num(static_cast<int64_t>(ts_.main_events.size())));
        for (size_t k = 0; k < cell_.size(); ++k) solver_.add(ts_.final_cells[k] == cell_[k]);
        for (const FinalAssert& a : ts_.asserts) {
            solver_.push();
            solver_.add(!a.cond);
            SolveResult r = check();
            solver_.pop();
            // An assert that failed stops main: the later ones may assume it held.
            solver_.add(a.cond);
            const auto& info = program.asserts.at(a.assert_id);
            if (r.result != SatResult::Unsat) {
                declined = fmt::format("the invariant does not imply the assert at line {}", info.loc.line);
                continue;
            }
            out.push_back({PropertyKind::Assert, fmt::format("assert at line {}", info.loc.line), Verdict::Proved,
                           fmt::format("`{}` holds: proved by an inductive invariant ({} processes, {} transitions checked, every "
                                       "interleaving and input)",
                                       info.text, ts_.children.size() + 1, transitions),
                           std::nullopt, fmt::format("assert@{}", info.loc.line)});
        }
        solver_.pop();
        return out;
    }

    z3::context& ctx_;
    const TransitionSystem& ts_;
    Solver solver_;
    z3::expr m_;
    std::vector<z3::expr> pc_, cell_, holder_, loads_;
    std::vector<std::vector<Increment>> incs_;
    Clock::time_point deadline_;
    std::vector<std::set<unsigned>> inv_vars_;
};

}  // namespace

InductionResult prove_by_induction(const model::Program& program, const CheckOptions& options) {
    auto t0 = Clock::now();
    InductionResult out;
    try {
        z3::context ctx;
        Extraction ex = extract_transition_system(ctx, program, options.fixed_inputs);
        if (!ex.system) {
            out.declined = ex.declined;
        } else {
            Prover prover(ctx, *ex.system, options.timeout_seconds);
            try {
                out.proved = prover.prove(program, out.declined);
            } catch (const NotInductive& n) {
                out.declined = n.why;
            }
            out.transitions = prover.transitions;
        }
        size_t asserts = std::count_if(out.proved.begin(), out.proved.end(), [](const auto& p) { return p.kind == PropertyKind::Assert; });
        if (out.declined.empty() && asserts < program.asserts.size()) out.declined = "an assert main does not reach after its joins";
        if (out.declined.empty() && out.proved.size() < asserts + 3) out.declined = "deadlock or lost update not excluded by the invariant";
        out.complete = out.declined.empty();
    } catch (const z3::exception& e) {
        out.proved.clear();
        out.declined = std::string("z3: ") + e.msg();
    }
    out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return out;
}

}  // namespace critsec::checker
