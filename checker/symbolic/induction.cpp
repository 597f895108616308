#include "checker/symbolic/induction.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "checker/symbolic/frame.hpp"
#include "checker/symbolic/interval.hpp"
#include "checker/symbolic/solver.hpp"
#include "checker/symbolic/transition_system.hpp"
#include "checker/symbolic/transitions.hpp"

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
    int step;  // the store
    int load;  // the load it reads (a step index)
    int cell;
    z3::expr inc;            // fixed for the run: mentions no loaded value
    std::vector<int> locks;  // lock indices the child holds from before the load through the store
};

// A span of steps during which a child holds a lock: pc in (acquire, release].
struct Span {
    int lock;  // lock index
    int acquire;
    int release;  // steps.size() when held to the end
};

// One transition of the system, for a consecution query.
struct Transition {
    Assignment enabled;   // the values its guard requires in the pre-state (assumed)
    Assignment implied;   // values the invariant must give the pre-state (proved along: a release by the holder)
    Assignment assigned;  // what it changes, as terms over the pre-state
    z3::expr obligation;  // must hold in the pre-state (a store does not wrap)
    std::string what;
};

class Prover {
public:
    Prover(z3::context& ctx, const TransitionSystem& ts, double timeout)
        : ctx_(ctx),
          ts_(ts),
          solver_(ctx, timeout),
          m_(ctx.int_const("main!pc")),
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
        find_spans();
        find_increments();
        solver_.add(z3::mk_and(ts_.inputs));
        check_obligations();
        z3::expr_vector inv = invariant();
        check_initiation(inv);
        // From here on every query is over a state of the invariant: it is
        // asserted once, and each query only pushes its transition and goals.
        FrameIndex frame(inv);
        for (unsigned c = 0; c < inv.size(); ++c) solver_.add(inv[c]);
        check_consecution(frame);
        std::vector<PropertyResult> out = check_asserts(program, declined);
        // The invariant is inductive: every step's obligations held in every reachable state.
        std::string scope = fmt::format("{} process{}, every interleaving and input; by an inductive invariant, {} transition{} checked",
                                        ts_.children.size() + 1, ts_.children.empty() ? "" : "es", transitions, transitions == 1 ? "" : "s");
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
    int64_t instance_number(size_t i) const { return ts_.children[i].instance; }
    z3::expr instance(size_t i) const { return num(instance_number(i)); }
    // pc in (after, upto]: the step at `after` has run and the one at `upto` has not.
    z3::expr between(const z3::expr& pc, int after, int upto) const { return pc > num(after) && pc <= num(upto); }

    void find_spans() {
        spans_.resize(ts_.children.size());
        for (size_t i = 0; i < ts_.children.size(); ++i) {
            const auto& steps = ts_.children[i].steps;
            std::vector<int> open(ts_.locks.size(), -1);
            for (size_t j = 0; j < steps.size(); ++j) {
                int l = lock_index(steps[j].object);
                if (l < 0) continue;
                if (steps[j].kind == ChildStep::Kind::Acquire) open[l] = static_cast<int>(j);
                else if (steps[j].kind == ChildStep::Kind::Release && open[l] >= 0) {
                    spans_[i].push_back({l, open[l], static_cast<int>(j)});
                    open[l] = -1;
                }
            }
            for (size_t l = 0; l < open.size(); ++l)
                if (open[l] >= 0) spans_[i].push_back({static_cast<int>(l), open[l], static_cast<int>(steps.size())});
        }
    }

    // The locks child i holds at every pc in (after, upto].
    std::vector<int> held_throughout(size_t i, int after, int upto) const {
        std::vector<int> out;
        for (const Span& s : spans_[i])
            if (s.acquire <= after && upto <= s.release) out.push_back(s.lock);
        return out;
    }

    void find_increments() {
        incs_.resize(ts_.children.size());
        ghost_.resize(ts_.children.size());
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
                incs_[i].push_back({static_cast<int>(j), l, s.cell, inc, held_throughout(i, l, static_cast<int>(j))});
                if (!ghost(i, s.cell)) ghost_[i].push_back({s.cell, ctx_.int_const(fmt::format("ghost!{}!{}", i, s.cell).c_str())});
            }
        }
    }

    // Child i's contribution to a cell so far: a ghost variable (auxiliary
    // state no guard reads), so that the cell's sum over N children is one
    // linear equation and a store changes only its own child's term.
    std::optional<z3::expr> ghost(size_t i, int cell) const {
        for (const auto& [k, g] : ghost_[i])
            if (k == cell) return g;
        return std::nullopt;
    }

    // Child i's contribution to cell k lies between the sum of its negative
    // increments' lows and the sum of its positive increments' highs.
    std::optional<Interval> contribution_bounds(size_t i, int k) const {
        __int128 low = 0, high = 0;
        for (const Increment& inc : incs_[i]) {
            if (inc.cell != k) continue;
            auto b = bounds_of(inc.inc, ts_.draws);
            if (!b) return std::nullopt;
            low += std::min<int64_t>(b->low, 0);
            high += std::max<int64_t>(b->high, 0);
        }
        if (low < INT64_MIN || high > INT64_MAX) return std::nullopt;
        return Interval{static_cast<int64_t>(low), static_cast<int64_t>(high)};
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
    z3::expr in_range(const z3::expr& v, const model::Typecode& t) const { return in_typecode_range(t, v); }

    // Holding every one of `locks` (lock indices), as child i.
    z3::expr holds(size_t i, const std::vector<int>& locks) const {
        z3::expr_vector all(ctx_);
        for (int l : locks) all.push_back(holder_[l] == instance(i));
        return z3::mk_and(all);
    }

    z3::expr_vector invariant() {
        z3::expr_vector conj(ctx_);
        int events = static_cast<int>(ts_.main_events.size());
        conj.push_back(m_ >= 0 && m_ <= num(events));
        std::vector<z3::expr_vector> sums;
        for (size_t k = 0; k < ts_.cells.size(); ++k) {
            sums.emplace_back(ctx_);
            sums.back().push_back(num(ts_.cell_initial[k]));
        }
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
            for (const auto& [k, g] : ghost_[i]) {
                z3::expr_vector done(ctx_);
                for (const Increment& inc : incs_[i])
                    if (inc.cell == k) done.push_back(z3::ite(pc_[i] > num(inc.step), inc.inc, num(0)));
                conj.push_back(g == z3::sum(done));
                // Its bounds, when the increments have concrete ones: a lemma (implied
                // by the sum above) that spares Z3 case splits on every child's progress
                // when it bounds a cell (no store wraps).
                if (auto b = contribution_bounds(i, k); b) conj.push_back(g >= num(b->low) && g <= num(b->high));
                sums[k].push_back(g);
            }
            for (const Increment& inc : incs_[i]) {
                // Guarded by the locks that protect it (implied by the lock conjuncts
                // below), so that another child's store, made while it holds one of
                // them, leaves this conjunct `false -> ...` on both sides: a frame.
                z3::expr loaded = *c.steps[inc.load].load == cell_[inc.cell];
                conj.push_back(z3::implies(holds(i, inc.locks) && between(pc_[i], inc.load, inc.step), loaded));
            }
            for (size_t l = 0; l < ts_.locks.size(); ++l) conj.push_back(inside(i, static_cast<int>(l)) == (holder_[l] == instance(i)));
        }
        for (size_t k = 0; k < ts_.cells.size(); ++k) conj.push_back(cell_[k] == z3::sum(sums[k]));
        for (size_t l = 0; l < ts_.locks.size(); ++l) {
            z3::expr_vector who(ctx_);
            who.push_back(holder_[l] == -1);
            for (size_t i = 0; i < ts_.children.size(); ++i) who.push_back(holder_[l] == instance(i));
            conj.push_back(z3::mk_or(who));
        }
        return conj;
    }

    // Child i holds lock l: its pc lies in one of its spans of l.
    z3::expr inside(size_t i, int l) const {
        z3::expr_vector in(ctx_);
        for (const Span& s : spans_[i])
            if (s.lock == l) in.push_back(between(pc_[i], s.acquire, s.release));
        return in.empty() ? ctx_.bool_val(false) : z3::mk_or(in);
    }

    static z3::expr equalities(z3::context& ctx, const Assignment& a) {
        z3::expr_vector all(ctx);
        for (const auto& [var, value] : a) all.push_back(var == value);
        return z3::mk_and(all);
    }

    // Does the invariant hold after `t`, in every state of the invariant where `t` is enabled?
    void preserved(const FrameIndex& frame, const Transition& t) {
        Assignment known = t.enabled;
        known.insert(known.end(), t.implied.begin(), t.implied.end());
        z3::expr_vector goals(ctx_);
        for (auto& g : frame.touched(t.assigned, known)) goals.push_back(g);
        z3::expr obligation = substituted(t.obligation, known).simplify();
        if (!obligation.is_true()) goals.push_back(obligation);
        ++transitions;
        if (goals.empty() && t.implied.empty()) return;
        // The goals were simplified with `implied`, so it is proved along with them.
        solver_.push();
        solver_.add(equalities(ctx_, t.enabled));
        solver_.add(!(equalities(ctx_, t.implied) && z3::mk_and(goals)));
        SolveResult r = check();
        solver_.pop();
        if (r.result == SatResult::Unsat) return;
        throw NotInductive{r.result == SatResult::Sat ? fmt::format("the candidate invariant is not preserved by {}", t.what)
                                                      : fmt::format("Z3 gave up on {} ({})", t.what, r.reason)};
    }

    void check_initiation(const z3::expr_vector& inv) {
        Assignment s0{{m_, num(0)}};
        for (const auto& pc : pc_) s0.push_back({pc, num(-1)});
        for (size_t k = 0; k < cell_.size(); ++k) s0.push_back({cell_[k], num(ts_.cell_initial[k])});
        for (const auto& h : holder_) s0.push_back({h, num(-1)});
        for (const auto& ghosts : ghost_)
            for (const auto& [k, g] : ghosts) s0.push_back({g, num(0)});
        z3::expr_vector initial(ctx_);
        for (unsigned c = 0; c < inv.size(); ++c) initial.push_back(substituted(inv[c], s0));
        ++transitions;
        if (!unsat_with(!z3::mk_and(initial))) throw NotInductive{"the candidate invariant does not hold initially"};
    }

    void check_consecution(const FrameIndex& frame) {
        z3::expr yes = ctx_.bool_val(true);
        for (size_t e = 0; e < ts_.main_events.size(); ++e) {
            const MainEvent& ev = ts_.main_events[e];
            const ChildRun& c = ts_.children[ev.child];
            Transition t{{{m_, num(static_cast<int64_t>(e))}},
                         {},
                         {{m_, num(static_cast<int64_t>(e) + 1)}},
                         yes,
                         fmt::format("main's {} of {}", ev.kind == MainEvent::Kind::Start ? "start" : "join", c.label)};
            if (ev.kind == MainEvent::Kind::Start) t.assigned.push_back({pc_[ev.child], num(0)});
            else t.enabled.push_back({pc_[ev.child], num(static_cast<int64_t>(c.steps.size()))});
            preserved(frame, t);
        }
        for (size_t i = 0; i < ts_.children.size(); ++i) {
            const ChildRun& c = ts_.children[i];
            for (size_t j = 0; j < c.steps.size(); ++j) {
                const ChildStep& st = c.steps[j];
                int at = static_cast<int>(j);
                Transition t{{{pc_[i], num(at)}}, {}, {{pc_[i], num(at + 1)}}, yes, fmt::format("{}'s step {}", c.label, j + 1)};
                switch (st.kind) {
                    case ChildStep::Kind::Acquire: {
                        HolderChange h = acquire_change(instance_number(i));
                        t.enabled.push_back({holder_[lock_index(st.object)], num(h.before)});
                        t.assigned.push_back({holder_[lock_index(st.object)], num(h.after)});
                        break;
                    }
                    case ChildStep::Kind::Release: {
                        // Releasing a lock another process holds would be a runtime error.
                        HolderChange h = release_change(instance_number(i));
                        t.implied.push_back({holder_[lock_index(st.object)], num(h.before)});
                        t.assigned.push_back({holder_[lock_index(st.object)], num(h.after)});
                        break;
                    }
                    case ChildStep::Kind::Load: t.assigned.push_back({*st.load, cell_[st.cell]}); break;
                    case ChildStep::Kind::Store: {
                        // In range, the store's wrap-around is the identity.
                        t.obligation = in_range(*st.value, ts_.cell_type[st.cell]);
                        t.assigned.push_back({cell_[st.cell], *st.value});
                        const Increment& inc = increment_at(i, at);
                        z3::expr g = *ghost(i, st.cell);
                        t.assigned.push_back({g, g + inc.inc});
                        // The locks it holds here, as other children's conjuncts read them.
                        for (int l : held_throughout(i, at - 1, at)) t.implied.push_back({holder_[l], instance(i)});
                        break;
                    }
                }
                preserved(frame, t);
            }
        }
    }

    const Increment& increment_at(size_t i, int step) const {
        for (const Increment& inc : incs_[i])
            if (inc.step == step) return inc;
        throw NotInductive{"a store that is not an increment"};
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
        return PropertyResult{PropertyKind::Deadlock, "deadlock", Verdict::Proved, fmt::format("no deadlock ({})", scope),
                              std::nullopt,           "deadlock"};
    }

    // Two increments that hold a common lock from load to store never overlap:
    // by the inductive lock conjuncts the lock's holder would be both processes.
    // (Asking Z3 instead costs a query over every process per store.)
    static bool share_a_lock(const Increment& a, const Increment& b) {
        return std::any_of(a.locks.begin(), a.locks.end(),
                           [&](int l) { return std::find(b.locks.begin(), b.locks.end(), l) != b.locks.end(); });
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
                        if (inc.cell == store.cell && !share_a_lock(inc, store)) exposed.push_back(between(pc_[i], inc.load, inc.step));
                }
                if (exposed.empty()) continue;
                if (!unsat_with(pc_[j] == num(store.step) && z3::mk_or(exposed))) return std::nullopt;
            }
        }
        return PropertyResult{PropertyKind::LostUpdate,
                              "lost update",
                              Verdict::Proved,
                              fmt::format("no lost update ({})", scope),
                              std::nullopt,
                              "lost-update"};
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
                           fmt::format("`{}` holds: proved by an inductive invariant ({} process{}, {} transition{} checked, every "
                                       "interleaving and input)",
                                       info.text, ts_.children.size() + 1, ts_.children.empty() ? "" : "es", transitions,
                                       transitions == 1 ? "" : "s"),
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
    std::vector<std::vector<Span>> spans_;
    std::vector<std::vector<Increment>> incs_;
    std::vector<std::vector<std::pair<int, z3::expr>>> ghost_;  // per child: (cell, its contribution so far)
    Clock::time_point deadline_;
};

}  // namespace

InductionResult prove_by_induction(const model::Program& program, const CheckOptions& options) {
    z3::context ctx;
    return prove_by_induction(program, ctx, extract_transition_system(ctx, program, options.fixed_inputs), options);
}

InductionResult prove_by_induction(const model::Program& program, z3::context& ctx, const Extraction& ex, const CheckOptions& options) {
    auto t0 = Clock::now();
    InductionResult out;
    try {
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
