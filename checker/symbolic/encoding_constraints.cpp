// The constraints over an Encoding's events (encoder.hpp): which prefixes are
// executions, and the properties' conditions over them.
#include <fmt/format.h>

#include "checker/budget.hpp"
#include "checker/symbolic/encoder.hpp"
#include "checker/symbolic/transitions.hpp"

namespace critsec::checker {
namespace {

using namespace critsec::model;

z3::expr any(z3::context& ctx, const std::vector<z3::expr>& xs) {
    if (xs.empty()) return ctx.bool_val(false);
    if (xs.size() == 1) return xs[0];
    z3::expr_vector v(ctx);
    for (const auto& x : xs) v.push_back(x);
    return z3::mk_or(v);
}

z3::expr all(z3::context& ctx, const std::vector<z3::expr>& xs) {
    if (xs.empty()) return ctx.bool_val(true);
    if (xs.size() == 1) return xs[0];
    z3::expr_vector v(ctx);
    for (const auto& x : xs) v.push_back(x);
    return z3::mk_and(v);
}

z3::expr sum(z3::context& ctx, const std::vector<z3::expr>& xs) {
    if (xs.empty()) return ctx.int_val(0);
    z3::expr_vector v(ctx);
    for (const auto& x : xs) v.push_back(x);
    return z3::sum(v);
}

bool ancestor(const Encoding& enc, int maybe, int of) {
    for (int p = enc.events[of].pred; p >= 0; p = enc.events[p].pred) {
        if (p == maybe) return true;
        if (enc.events[p].instance != enc.events[of].instance) return false;
    }
    return false;
}

z3::expr cell_match(const EncodedEvent& a, const EncodedEvent& b) {
    int64_t x, y;
    if (numeral(*a.cell, x) && numeral(*b.cell, y)) return a.cell->ctx().bool_val(x == y);
    return *a.cell == *b.cell;
}

z3::expr initial_of(const Encoding& enc, int object, const z3::expr& cell) {
    const auto& init = enc.program->objects.at(object).initial;
    z3::context& ctx = *enc.ctx;
    int64_t k;
    if (numeral(cell, k)) return ctx.int_val(k >= 0 && k < static_cast<int64_t>(init.size()) ? init[k] : 0);
    z3::expr out = ctx.int_val(init.empty() ? 0 : init.back());
    for (int i = static_cast<int>(init.size()) - 2; i >= 0; --i) out = z3::ite(cell == i, ctx.int_val(init[i]), out);
    return out;
}

// The stores each load may read: of its object, by another process or earlier in its own.
std::vector<std::vector<int>> store_candidates(const Encoding& enc, const std::vector<int>& loads, const std::vector<int>& stores) {
    // reads_from builds a term for every pair of candidates of every load: past this many
    // the terms alone take gigabytes and minutes (and as long again to free), long
    // before the solver sees them. Peterson's two processes at --bound 8 would need 400 million.
    constexpr size_t kMaxTerms = 1'000'000;
    std::vector<std::vector<int>> out;
    size_t terms = 0;
    for (int l : loads) {
        const EncodedEvent& L = enc.events[l];
        std::vector<int>& cands = out.emplace_back();
        for (int s : stores) {
            const EncodedEvent& S = enc.events[s];
            if (S.object == L.object && (S.instance != L.instance || ancestor(enc, s, l))) cands.push_back(s);
        }
        terms += cands.size() * cands.size();
        if (terms > kMaxTerms)
            throw NotEncoded(fmt::format("the reads-from constraints would need over {} million terms ({} loads, {} stores){}",
                                         kMaxTerms / 1'000'000, loads.size(), stores.size(),
                                         enc.bounded ? "; a lower --bound unrolls fewer" : ""));
    }
    return out;
}

// Each executed load sees the latest executed store of its cell before it, or the initial value.
void reads_from(const Encoding& enc, const std::vector<int>& loads, const std::vector<int>& stores, std::vector<z3::expr>& out) {
    z3::context& c = *enc.ctx;
    const auto& events = enc.events;
    std::vector<std::vector<int>> candidates = store_candidates(enc, loads, stores);
    for (size_t k = 0; k < loads.size(); ++k) {
        enc.stop_if_spent();
        const EncodedEvent& L = events[loads[k]];
        const std::vector<int>& cands = candidates[k];
        for (int s : cands)
            if (events[s].instance != L.instance) out.push_back(events[s].t != L.t);
        std::vector<z3::expr> before;
        for (int s : cands) {
            const EncodedEvent& S = events[s];
            before.push_back(S.exec && cell_match(S, L) && S.t < L.t);
        }
        for (size_t i = 0; i < cands.size(); ++i) {
            enc.stop_if_spent();  // one load costs the square of its candidates: it can take seconds
            const EncodedEvent& S = events[cands[i]];
            std::vector<z3::expr> later;
            for (size_t j = 0; j < cands.size(); ++j)
                if (j != i) later.push_back(before[j] && S.t < events[cands[j]].t);
            out.push_back(z3::implies(L.exec && before[i] && !any(c, later), *L.value == *S.value));
        }
        std::vector<z3::expr> none;
        for (auto& b : before) none.push_back(!b);
        out.push_back(z3::implies(L.exec && all(c, none), *L.value == initial_of(enc, L.object, *L.cell)));
    }
}

// A wait needs a positive count: the initial one, plus the signals (and the
// failures that release a `with`) before it, minus the other waits before it.
void semaphore_waits(const Encoding& enc, const std::vector<int>& waits, const std::vector<int>& signals, std::vector<z3::expr>& out) {
    z3::context& c = *enc.ctx;
    const auto& events = enc.events;
    for (int w : waits) {
        const EncodedEvent& W = events[w];
        const SharedObject& obj = enc.program->objects.at(W.object);
        std::vector<z3::expr> terms{c.int_val(obj.semaphore_initial)};
        for (int s : signals) {
            const EncodedEvent& S = events[s];
            int times = 0;
            if (S.kind == EventKind::Signal) times = S.object == W.object;
            else
                for (int o : S.signals) times += o == W.object;
            if (times && S.instance != W.instance) out.push_back(S.t != W.t);
            if (times) terms.push_back(z3::ite(S.exec && S.t < W.t, c.int_val(times), c.int_val(0)));
        }
        for (int w2 : waits) {
            const EncodedEvent& V = events[w2];
            if (w2 == w || V.object != W.object) continue;
            if (V.instance != W.instance) out.push_back(V.t != W.t);
            terms.push_back(z3::ite(V.exec && V.t < W.t, c.int_val(-1), c.int_val(0)));
        }
        out.push_back(z3::implies(W.exec, semaphore_passes(sum(c, terms))));
    }
}

}  // namespace

z3::expr Encoding::finished(int instance) const {
    std::vector<z3::expr> xs;
    for (int id : events_of.at(instance)) {
        const EncodedEvent& e = events[id];
        if (e.kind == EventKind::End || e.kind == EventKind::Fail) xs.push_back(e.exec);
    }
    return any(*ctx, xs);
}

z3::expr Encoding::finished_before(int instance, const z3::expr& t) const {
    std::vector<z3::expr> xs;
    for (int id : events_of.at(instance)) {
        const EncodedEvent& e = events[id];
        if (e.kind == EventKind::End || e.kind == EventKind::Fail) xs.push_back(e.exec && e.t < t);
    }
    return any(*ctx, xs);
}

std::vector<z3::expr> Encoding::constraints(bool with_values) const {
    z3::context& c = *ctx;
    std::vector<z3::expr> out;
    if (with_values) out = side;
    std::vector<int> loads, stores, waits, signals, joins;
    for (const EncodedEvent& e : events) {
        if (with_values && truth(e.guard) != 1) out.push_back(z3::implies(e.exec, e.guard));
        if (e.pred >= 0) {
            out.push_back(z3::implies(e.exec, events[e.pred].exec));
            out.push_back(e.t > events[e.pred].t);
        }
        switch (e.kind) {
            case EventKind::SelfDeadlock: out.push_back(!e.exec); break;
            case EventKind::Load: loads.push_back(e.id); break;
            case EventKind::Store: stores.push_back(e.id); break;
            case EventKind::Wait: waits.push_back(e.id); break;
            case EventKind::Signal: signals.push_back(e.id); break;
            case EventKind::Join: joins.push_back(e.id); break;
            case EventKind::Fail:
                if (!e.signals.empty()) signals.push_back(e.id);
                break;
            default: break;
        }
    }
    // Stores of one object by different processes happen at different times.
    for (size_t i = 0; i < stores.size(); ++i, stop_if_spent())
        for (size_t j = i + 1; j < stores.size(); ++j) {
            const EncodedEvent& a = events[stores[i]];
            const EncodedEvent& b = events[stores[j]];
            if (a.object == b.object && a.instance != b.instance) out.push_back(a.t != b.t);
        }
    if (with_values) reads_from(*this, loads, stores, out);
    // Critical sections of one lock never overlap.
    auto ends_before = [&](const CriticalSection& I, const z3::expr& t) {
        std::vector<z3::expr> xs;
        for (int e : I.ends) xs.push_back(events[e].exec && events[e].t < t);
        return any(c, xs);
    };
    for (size_t i = 0; i < intervals.size(); ++i)
        for (size_t j = i + 1; j < intervals.size(); ++j) {
            const CriticalSection& I = intervals[i];
            const CriticalSection& J = intervals[j];
            if (I.object != J.object || I.instance == J.instance) continue;
            const EncodedEvent& A = events[I.acquire];
            const EncodedEvent& B = events[J.acquire];
            out.push_back(z3::implies(A.exec && B.exec, ends_before(I, B.t) || ends_before(J, A.t)));
        }
    // A release of a lock the process does not hold happens strictly before or
    // after each acquire and release of that lock by another process: whether
    // another holds it then (held_by_other_at, its text) is never a tie, which
    // the replay would break its own way.
    for (const EncodedEvent& F : events) {
        if (!F.bad_release) continue;
        for (const CriticalSection& I : intervals) {
            if (I.object != F.object || I.instance == F.instance) continue;
            out.push_back(F.t != events[I.acquire].t);
            for (int e : I.ends) out.push_back(F.t != events[e].t);
        }
    }
    semaphore_waits(*this, waits, signals, out);
    // Join waits for the end of the process.
    for (int j : joins) {
        const EncodedEvent& J = events[j];
        out.push_back(z3::implies(J.exec, finished_before(J.target, J.t)));
    }
    return out;
}

void Encoding::stop_if_spent() const {
    if (budget)
        if (auto why = budget->spent_now()) throw NotEncoded("the symbolic encoding stopped: " + *why);
}

z3::expr Encoding::held_at_end(int object) const {
    std::vector<z3::expr> xs;
    for (const CriticalSection& I : intervals) {
        if (I.object != object) continue;
        std::vector<z3::expr> open{events[I.acquire].exec};
        for (int e : I.ends) open.push_back(!events[e].exec);
        xs.push_back(all(*ctx, open));
    }
    return any(*ctx, xs);
}

z3::expr Encoding::held_by_other_at(int object, int instance, const z3::expr& t) const {
    std::vector<z3::expr> xs;
    for (const CriticalSection& I : intervals) {
        if (I.object != object || I.instance == instance) continue;
        const EncodedEvent& acquire = events[I.acquire];
        std::vector<z3::expr> open{acquire.exec && acquire.t < t};
        for (int e : I.ends) open.push_back(!(events[e].exec && events[e].t < t));
        xs.push_back(all(*ctx, open));
    }
    return any(*ctx, xs);
}

z3::expr Encoding::terminal() const {
    z3::context& c = *ctx;
    std::vector<z3::expr> out;
    for (const EncodedEvent& e : events) {
        z3::expr next = e.pred >= 0 ? e.guard && events[e.pred].exec && !e.exec : e.guard && !e.exec;
        switch (e.kind) {
            case EventKind::SelfDeadlock: break;
            // A path the loop bound cut could go on: an execution that reaches the cut
            // is neither finished nor blocked, so it is no final state (nor a deadlock).
            case EventKind::Cut: out.push_back(!(e.pred >= 0 ? e.guard && events[e.pred].exec : e.guard)); break;
            case EventKind::Acquire: out.push_back(z3::implies(next, held_at_end(e.object))); break;
            case EventKind::Wait: {
                const SharedObject& obj = program->objects.at(e.object);
                std::vector<z3::expr> terms{c.int_val(obj.semaphore_initial)};
                for (const EncodedEvent& s : events) {
                    if (s.kind == EventKind::Signal && s.object == e.object) terms.push_back(z3::ite(s.exec, c.int_val(1), c.int_val(0)));
                    if (s.kind == EventKind::Wait && s.object == e.object) terms.push_back(z3::ite(s.exec, c.int_val(-1), c.int_val(0)));
                    if (s.kind == EventKind::Fail)
                        for (int o : s.signals)
                            if (o == e.object) terms.push_back(z3::ite(s.exec, c.int_val(1), c.int_val(0)));
                }
                out.push_back(z3::implies(next, !semaphore_passes(sum(c, terms))));
                break;
            }
            case EventKind::Join: out.push_back(z3::implies(next, !finished(e.target))); break;
            default: out.push_back(!next); break;
        }
    }
    return all(c, out);
}

z3::expr Encoding::deadlock() const {
    std::vector<z3::expr> stuck{!finished(0)};
    for (const EncodedEvent& e : events)
        if (e.kind == EventKind::Start) stuck.push_back(e.exec && !finished(e.target));
    return terminal() && any(*ctx, stuck);
}

std::vector<std::vector<z3::expr>> Encoding::final_cells() const {
    z3::context& c = *ctx;
    std::vector<std::vector<z3::expr>> out(program->objects.size());
    for (size_t o = 0; o < program->objects.size(); ++o) {
        const SharedObject& obj = program->objects[o];
        if (obj.kind != ObjectKind::Value && obj.kind != ObjectKind::Array) continue;
        std::vector<int> stores;
        for (const EncodedEvent& e : events)
            if (e.kind == EventKind::Store && e.object == static_cast<int>(o)) stores.push_back(e.id);
        for (int k = 0; k < obj.cells(); ++k) {
            z3::expr value = c.int_val(obj.initial[k]);
            for (int s : stores) {
                const EncodedEvent& S = events[s];
                std::vector<z3::expr> later;
                for (int s2 : stores)
                    if (s2 != s) later.push_back(events[s2].exec && *events[s2].cell == k && events[s2].t > S.t);
                value = z3::ite(S.exec && *S.cell == k && !any(c, later), *S.value, value);
            }
            out[o].push_back(value.simplify());
        }
    }
    return out;
}

z3::expr Encoding::serial() const {
    z3::context& c = *ctx;
    std::vector<z3::expr> out;
    std::vector<z3::expr> lo, hi;
    for (int i = 1; i < instances; ++i) {
        lo.push_back(c.int_const(fmt::format("serial_lo{}", i).c_str()));
        hi.push_back(c.int_const(fmt::format("serial_hi{}", i).c_str()));
        for (int id : events_of[i]) {
            const EncodedEvent& e = events[id];
            if (!e.is_step) continue;
            out.push_back(z3::implies(e.exec, lo.back() <= e.t && e.t <= hi.back()));
        }
    }
    for (size_t i = 0; i < lo.size(); ++i)
        for (size_t j = i + 1; j < lo.size(); ++j) out.push_back(hi[i] < lo[j] || hi[j] < lo[i]);
    return all(c, out);
}

z3::expr Encoding::overflow() const {
    std::vector<z3::expr> xs;
    for (const EncodedEvent& e : events) {
        if (e.kind != EventKind::Store || !e.raw) continue;
        const Typecode& tc = program->objects.at(e.object).typecode;
        if (tc.bits >= 64) continue;
        int64_t n;
        if (numeral(*e.raw, n) && tc.wrap(n) == n) continue;
        // Built as main built it, not as !in_typecode_range: the terms made here come
        // before the property queries', and Z3's models (the witnesses) depend on their order.
        xs.push_back(e.exec && (*e.raw < ctx->int_val(tc.min()) || *e.raw > ctx->int_val(tc.max())));
    }
    return any(*ctx, xs);
}

z3::expr Encoding::lost_update(int store, int load, int other_store) const {
    const EncodedEvent& S = events[store];
    const EncodedEvent& L = events[load];
    const EncodedEvent& O = events[other_store];
    // The load must happen: a store may be computed from a load on one side of a
    // branch (`a if c else w.value + 1`) that this execution does not take.
    return S.exec && L.exec && O.exec && L.t < O.t && O.t < S.t && cell_match(O, L) && cell_match(S, L);
}

}  // namespace critsec::checker
