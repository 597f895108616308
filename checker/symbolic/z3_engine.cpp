#include "checker/symbolic/z3_engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <set>

#include "checker/symbolic/encoder.hpp"
#include "checker/symbolic/solver.hpp"
#include "checker/symbolic/z3_replay.hpp"

namespace critsec::checker {
namespace {

using namespace critsec::model;
using Clock = std::chrono::steady_clock;

struct Deadline {
    Clock::time_point end;
    double left() const { return std::chrono::duration<double>(end - Clock::now()).count(); }
};

Deadline deadline_after(double seconds) { return Deadline{Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000))}; }

void fix_inputs(Solver& s, const Encoding& enc, const CheckOptions& options) {
    if (!options.fixed_inputs) return;
    const auto& fixed = *options.fixed_inputs;
    for (const auto& d : enc.draws)
        if (d.instance == 0 && d.index < static_cast<int>(fixed.size())) s.add(d.var == s.ctx().int_val(fixed[d.index]));
}

// The encoder's answer: the encoding, or why there is none (`why`). The terms
// are built here, outside the solver: a z3::exception the encoder lets through
// is its reason.
std::optional<Encoding> encoded(z3::context& ctx, const Program& program, int bound, bool wrap_stores, const Budget* budget,
                                std::string& why) {
    try {
        return encode(ctx, program, bound, wrap_stores, budget);
    } catch (const NotEncoded& e) {
        why = std::string("not encoded: ") + e.what();
    } catch (const z3::exception& e) {
        why = std::string("z3: ") + e.msg();
    }
    return std::nullopt;
}

// The cheapest exact encoding: stores without wrap-around when no execution
// overflows a typecode (checked on that encoding, see encoder.hpp), else with it.
std::optional<Encoding> try_encode(z3::context& ctx, const Program& program, const CheckOptions& options, std::string& why) {
    std::optional<Encoding> plain = encoded(ctx, program, options.bound, false, options.budget, why);
    if (!plain) return std::nullopt;
    Solver s(ctx, std::min(options.timeout_seconds, 1.0));
    try {
        for (const auto& c : plain->constraints()) s.add(c);
    } catch (const NotEncoded& e) {
        why = std::string("not encoded: ") + e.what();
        return std::nullopt;
    }
    fix_inputs(s, *plain, options);
    s.add(plain->overflow());
    if (s.check().result == SatResult::Unsat) return plain;
    return encoded(ctx, program, options.bound, true, options.budget, why);
}

z3::expr any_of(z3::context& c, const std::vector<z3::expr>& xs) {
    if (xs.empty()) return c.bool_val(false);
    z3::expr_vector v(c);
    for (const auto& x : xs) v.push_back(x);
    return z3::mk_or(v);
}

// ---- the properties -------------------------------------------------------------------

// A property's question to Z3 (`formula`: some execution violates it) and the
// reading of a model's replay as that violation (`confirmed`, with its detail).
struct Query {
    PropertyKind kind;
    std::string name;
    z3::expr formula;
    std::function<bool(const ReplayedModel&, std::string& detail)> confirmed;
};

// Assert `a` fails: a process stops at it with an AssertionError.
Query assert_query(z3::context& ctx, const Program& program, const Encoding& enc, int a) {
    std::vector<z3::expr> fails;
    for (const EncodedEvent& e : enc.events)
        if (e.kind == EventKind::Fail && e.is_assert && e.assert_id == a) fails.push_back(e.exec);
    auto confirmed = [&program, a](const ReplayedModel& r, std::string& detail) {
        bool found = false;
        for (const auto& p : r.world.processes) {
            const Instr* at = p.pc < static_cast<int>(template_of(program, p).code.size()) ? &template_of(program, p).code[p.pc] : nullptr;
            const auto* as = at ? std::get_if<AssertStep>(&at->node) : nullptr;
            if (as && as->assert_id == a && p.error.rfind("AssertionError", 0) == 0) {
                found = true;
                detail = fmt::format("{}: {}", p.label, p.error);
            }
        }
        return found;
    };
    return {PropertyKind::Assert, fmt::format("assert at line {}", program.asserts[a].loc.line), any_of(ctx, fails), confirmed};
}

// The cases of a lost update: a store of the cell lies between a load and the
// store computed from it.
std::vector<z3::expr> lost_update_cases(const Encoding& enc) {
    std::vector<z3::expr> lost;
    for (const EncodedEvent& S : enc.events) {
        if (S.kind != EventKind::Store) continue;
        enc.stop_if_spent();
        for (int l : S.read_from)  // loads of S's own object only (encoder.cpp)
            for (const EncodedEvent& O : enc.events)
                if (O.kind == EventKind::Store && O.object == S.object && O.instance != S.instance)
                    lost.push_back(enc.lost_update(S.id, l, O.id));
    }
    return lost;
}

Query lost_update_query(z3::context& ctx, const std::vector<z3::expr>& cases) {
    auto confirmed = [](const ReplayedModel& r, std::string& detail) {
        detail = r.lost_detail;
        return r.lost;
    };
    return {PropertyKind::LostUpdate, "lost update", any_of(ctx, cases), confirmed};
}

// A state where no process can move and some started one is unfinished.
Query deadlock_query(const Program& program, const Encoding& enc) {
    auto confirmed = [&program](const ReplayedModel& r, std::string& detail) {
        std::vector<std::string> stuck;
        bool found = terminal_state(program, r, &stuck) && !stuck.empty();
        detail = fmt::format("no process can move; blocked: {}", fmt::join(stuck, ", "));
        return found;
    };
    return {PropertyKind::Deadlock, "deadlock", enc.deadlock(), confirmed};
}

// A process fails with anything but a failing assert.
Query runtime_error_query(z3::context& ctx, const Program& program, const Encoding& enc) {
    std::vector<z3::expr> errors;
    for (const EncodedEvent& e : enc.events)
        if (e.kind == EventKind::Fail && !e.is_assert) errors.push_back(e.exec);
    auto confirmed = [&program](const ReplayedModel& r, std::string& detail) {
        for (const auto& p : r.world.processes) {
            if (p.error.empty()) continue;
            const auto& code = template_of(program, p).code;
            bool at_assert = p.pc < static_cast<int>(code.size()) && std::holds_alternative<AssertStep>(code[p.pc].node) &&
                             p.error.rfind("AssertionError", 0) == 0;
            if (at_assert) continue;
            detail = fmt::format("{}: {}", p.label, p.error);
            return true;
        }
        return false;
    };
    return {PropertyKind::RuntimeError, "runtime error", any_of(ctx, errors), confirmed};
}

// The properties in z3_engine.hpp's order, their terms made in that order too
// (Z3's models depend on it: the witnesses would change); `lost_cases`: the lost update's.
std::vector<Query> property_queries(z3::context& ctx, const Program& program, const Encoding& enc, std::vector<z3::expr>& lost_cases) {
    std::vector<Query> queries;
    for (size_t a = 0; a < program.asserts.size(); ++a) queries.push_back(assert_query(ctx, program, enc, static_cast<int>(a)));
    lost_cases = lost_update_cases(enc);
    queries.push_back(lost_update_query(ctx, lost_cases));
    queries.push_back(deadlock_query(program, enc));
    queries.push_back(runtime_error_query(ctx, program, enc));
    return queries;
}

std::vector<PropertyResult> all_unknown(const Program& program, const std::string& why) {
    std::vector<PropertyResult> results;
    for (const auto& a : program.asserts)
        results.push_back({PropertyKind::Assert, fmt::format("assert at line {}", a.loc.line), Verdict::Unknown, why, std::nullopt, {}});
    results.push_back({PropertyKind::LostUpdate, "lost update", Verdict::Unknown, why, std::nullopt, {}});
    results.push_back({PropertyKind::Deadlock, "deadlock", Verdict::Unknown, why, std::nullopt, {}});
    results.push_back({PropertyKind::RuntimeError, "runtime error", Verdict::Unknown, why, std::nullopt, {}});
    return results;
}

// No model: proved, or bounded where the loops were cut (`because`: why it holds).
PropertyResult no_violation(PropertyKind kind, const std::string& name, const Encoding& enc, const std::string& because) {
    if (enc.bounded)
        return {
            kind,         name, Verdict::Bounded, fmt::format("no violation within {} loop iterations (loops not exhausted)", enc.bound),
            std::nullopt, {}};
    return {kind, name, Verdict::Proved, because, std::nullopt, {}};
}

// A model of the violation: violated if its replay shows it, else an encoding bug.
PropertyResult read_violation(const Query& q, const Program& program, const Encoding& enc, const z3::model& m) {
    PropertyResult res{q.kind, q.name, Verdict::Unknown, "", std::nullopt, {}};
    ReplayedModel r = replay_model(program, enc, m);
    if (r.ok && q.confirmed(r, res.detail)) {
        res.verdict = Verdict::Violated;
        res.witness = std::move(r.witness);
    } else {
        res.detail = r.ok ? "internal: the witness replayed without the violation (encoding bug)"
                          : "internal: the witness did not replay: " + r.mismatch;
    }
    return res;
}

// ---- deciding them --------------------------------------------------------------------

// Lost update, value-free first: the ordering pattern alone (a store of the
// cell between a load and the store computed from it). Unsat there is a
// proof; a model whose schedule replays to a lost update is a witness.
// (Its disjunction is made anew, as before the split: Z3's models depend on the
// terms made, and the witnesses would change.)
std::optional<PropertyResult> lost_update_value_free(z3::context& ctx, const Program& program, const Encoding& enc,
                                                     const std::vector<z3::expr>& lost_cases, const CheckOptions& options,
                                                     const Deadline& deadline, Z3Stats* stats) {
    Solver vf(ctx, std::max(0.01, deadline.left()));
    for (const auto& c : enc.constraints(false)) vf.add(c);
    vf.add(any_of(ctx, lost_cases));
    SolveResult sr = vf.check();
    if (stats) stats->queries++;
    if (sr.result == SatResult::Unsat)
        return no_violation(PropertyKind::LostUpdate, "lost update", enc,
                            "no interleaving puts another store between a load and the store computed from it");
    if (sr.result != SatResult::Sat) return std::nullopt;
    for (const EncodedEvent& e : enc.events)
        if (e.kind == EventKind::Fail) vf.add(!e.exec);
    fix_inputs(vf, enc, options);
    SolveResult again = vf.check();
    if (again.result != SatResult::Sat) return std::nullopt;
    ReplayedModel r = replay_model(program, enc, *again.model);
    if (!r.ok || !r.lost) return std::nullopt;
    return PropertyResult{PropertyKind::LostUpdate, "lost update", Verdict::Violated, r.lost_detail, std::move(r.witness), {}};
}

// One query on the shared solver, under a literal of its own (`index`).
PropertyResult ask(Solver& solver, const Query& q, int index, const Program& program, const Encoding& enc, const Deadline& deadline,
                   Z3Stats* stats) {
    solver.set_timeout(deadline.left());
    z3::expr lit = solver.ctx().bool_const(fmt::format("query{}", index).c_str());
    solver.add(z3::implies(lit, q.formula));
    SolveResult sr = solver.check({lit});
    if (stats) {
        stats->queries++;
        stats->solve_seconds += sr.seconds;
    }
    if (sr.result == SatResult::Unsat) return no_violation(q.kind, q.name, enc, "holds for every interleaving and input");
    if (sr.result == SatResult::Unknown) return {q.kind, q.name, Verdict::Unknown, "solver: " + sr.reason, std::nullopt, {}};
    return read_violation(q, program, enc, *sr.model);
}

// Records a property's wall time in the stats when it goes out of scope.
struct PropertyTimer {
    Z3Stats* stats;
    std::string name;
    Clock::time_point started;
    ~PropertyTimer() {
        if (stats) stats->property_seconds.push_back({name, std::chrono::duration<double>(Clock::now() - started).count()});
    }
};

std::vector<PropertyResult> decide_with_z3(z3::context& ctx, const Program& program, const CheckOptions& options, Z3Stats* stats) {
    Deadline deadline = deadline_after(options.timeout_seconds);
    std::string why;
    std::optional<Encoding> enc_holder = try_encode(ctx, program, options, why);
    if (!enc_holder) return all_unknown(program, why);
    const Encoding& enc = *enc_holder;
    std::vector<z3::expr> lost_cases;
    std::vector<Query> queries = property_queries(ctx, program, enc, lost_cases);

    Solver solver(ctx, options.timeout_seconds);
    int count = 0;
    for (const auto& c : enc.constraints()) {
        solver.add(c);
        ++count;
    }
    fix_inputs(solver, enc, options);
    if (stats) {
        stats->events = static_cast<int>(enc.events.size());
        stats->constraints = count;
    }
    auto value_free_started = Clock::now();
    std::optional<PropertyResult> lost_result = lost_update_value_free(ctx, program, enc, lost_cases, options, deadline, stats);
    auto value_free = Clock::now() - value_free_started;

    std::vector<PropertyResult> results;
    int qi = 0;
    for (const Query& q : queries) {
        // The lost update's time includes its value-free query's.
        PropertyTimer timer{stats, q.name, Clock::now() - (q.kind == PropertyKind::LostUpdate ? value_free : Clock::duration::zero())};
        if (q.kind == PropertyKind::LostUpdate && lost_result) results.push_back(std::move(*lost_result));
        else results.push_back(ask(solver, q, qi++, program, enc, deadline, stats));
    }
    return results;
}

// ---- outcomes -------------------------------------------------------------------------

// The outcomes found, each with what reaches it (the final values and
// failures), and the first reason the list may be incomplete.
struct OutcomeSearch {
    std::vector<Outcome> outcomes;
    std::vector<z3::expr> descriptions;  // by outcome
    std::string* incomplete;
    void note(const std::string& why) {
        if (incomplete && incomplete->empty()) *incomplete = why;
    }
};

// Every final state the solver finds, each replayed to its outcome; each model
// found is excluded by its description, until there is none.
void enumerate_outcomes(Solver& solver, const Program& program, const Encoding& enc, const Deadline& deadline, OutcomeSearch& search,
                        Z3Stats* stats) {
    z3::context& ctx = solver.ctx();
    std::vector<z3::expr> cells, fails;
    for (const auto& per_object : enc.final_cells())
        for (const auto& c : per_object) cells.push_back(c);
    for (const EncodedEvent& e : enc.events) {
        if (e.kind != EventKind::Fail) continue;
        fails.push_back(e.exec);
        // A release of a plain Lock the process does not hold fails with one text if
        // another process holds it then, another if nobody does: two outcomes (an
        // RLock's text is the same either way).
        if (e.bad_release && !program.objects.at(e.object).recursive)
            fails.push_back(e.exec && enc.held_by_other_at(e.object, e.instance, e.t));
    }
    std::set<std::string> seen;
    while (true) {
        solver.set_timeout(deadline.left());
        SolveResult sr = solver.check();
        if (stats) {
            stats->queries++;
            stats->solve_seconds += sr.seconds;
        }
        if (sr.result == SatResult::Unsat) break;
        if (sr.result == SatResult::Unknown) return search.note("solver: " + sr.reason);
        const z3::model& m = *sr.model;
        z3::expr_vector eqs(ctx);
        for (const auto& c : cells) eqs.push_back(c == m.eval(c, true));
        for (const auto& f : fails) eqs.push_back(true_in(m, f) ? f : !f);
        z3::expr description = eqs.empty() ? ctx.bool_val(true) : z3::mk_and(eqs);
        solver.add(!description);
        ReplayedModel r = replay_model(program, enc, m);
        if (!r.ok || !terminal_state(program, r)) {
            search.note(r.ok ? "internal: a witness replayed to a state that is not final (encoding bug)"
                             : "internal: a witness did not replay: " + r.mismatch);
            continue;
        }
        std::string text = r.world.outcome_text();
        if (!seen.insert(text).second) continue;
        search.outcomes.push_back({text, false, std::move(r.witness)});
        search.descriptions.push_back(description);
    }
}

// Which outcomes a serial execution (each child whole, one after another) reaches.
void mark_serial(z3::context& ctx, const Encoding& enc, const CheckOptions& options, const Deadline& deadline, OutcomeSearch& search,
                 Z3Stats* stats) {
    Solver serial(ctx, std::max(0.1, deadline.left()));
    for (const auto& c : enc.constraints()) serial.add(c);
    fix_inputs(serial, enc, options);
    serial.add(enc.terminal());
    serial.add(enc.serial());
    for (size_t i = 0; i < search.outcomes.size(); ++i) {
        serial.set_timeout(deadline.left());
        SolveResult sr = serial.check({search.descriptions[i]});
        if (stats) stats->queries++;
        if (sr.result == SatResult::Sat) search.outcomes[i].serial = true;
        else if (sr.result == SatResult::Unknown) search.note("solver: " + sr.reason + " (serial marks)");
    }
}

}  // namespace

std::vector<PropertyResult> check_with_z3(const Program& program, const CheckOptions& options, Z3Stats* stats) {
    z3::context ctx;
    return check_with_z3(ctx, program, options, stats);
}

std::string encoding_smt2(z3::context& ctx, const Program& program, const CheckOptions& options) {
    std::string why;
    std::optional<Encoding> enc;
    try {
        enc = try_encode(ctx, program, options, why);
    } catch (const NotEncoded& e) {
        why = e.what();
    }
    if (!enc) return fmt::format("; {}: not encoded: {}\n", program.spec_path, why);
    std::vector<z3::expr> lost_cases;
    std::vector<Query> queries = property_queries(ctx, program, *enc, lost_cases);
    z3::solver script(ctx);
    for (const auto& c : enc->constraints()) script.add(c);
    std::string out = fmt::format("; {}: every interleaving to loop bound {}, {} events; sat under query_K: property K is violated\n",
                                  program.spec_path, options.bound, enc->events.size());
    std::string asks;
    for (size_t k = 0; k < queries.size(); ++k) {
        std::string literal = fmt::format("query_{}", k);
        script.add(z3::implies(ctx.bool_const(literal.c_str()), queries[k].formula));
        out += fmt::format("; {}: {}\n", literal, queries[k].name);
        asks += fmt::format("(check-sat-assuming ({}))\n", literal);
    }
    std::string body = script.to_smt2();
    // Z3 ends the benchmark with one (check-sat); each property gets its own.
    if (size_t at = body.rfind("(check-sat)"); at != std::string::npos) body.erase(at);
    return out + body + asks;
}

// The keys `# expect:` lines use, as the explorer gives them.
std::vector<PropertyResult> check_with_z3(z3::context& ctx, const Program& program, const CheckOptions& options, Z3Stats* stats) {
    std::vector<PropertyResult> results;
    try {
        results = decide_with_z3(ctx, program, options, stats);
    } catch (const NotEncoded& e) {  // the budget ran out while the constraints were built
        results = all_unknown(program, std::string("not encoded: ") + e.what());
    }
    for (auto& r : results) {
        switch (r.kind) {
            case PropertyKind::Assert: r.key = "assert@" + r.name.substr(r.name.rfind(' ') + 1); break;
            case PropertyKind::LostUpdate: r.key = "lost-update"; break;
            case PropertyKind::Deadlock: r.key = "deadlock"; break;
            case PropertyKind::RuntimeError: r.key = "runtime-error"; break;
            default: break;
        }
    }
    return results;
}

std::vector<Outcome> outcomes_with_z3(const Program& program, const CheckOptions& options, std::string* incomplete, Z3Stats* stats) {
    if (incomplete) incomplete->clear();
    z3::context ctx;  // before the search: its descriptions are terms of this context, destroyed first
    OutcomeSearch search{{}, {}, incomplete};
    Deadline deadline = deadline_after(options.timeout_seconds);
    std::string why;
    std::optional<Encoding> enc_holder = try_encode(ctx, program, options, why);
    if (!enc_holder) {
        search.note(why);
        return {};
    }
    const Encoding& enc = *enc_holder;
    if (enc.bounded) search.note(fmt::format("loops cut at {} iterations: outcomes beyond the bound are missing", enc.bound));

    try {
        Solver solver(ctx, deadline.left());
        for (const auto& c : enc.constraints()) solver.add(c);
        fix_inputs(solver, enc, options);
        solver.add(enc.terminal());
        enumerate_outcomes(solver, program, enc, deadline, search, stats);
        mark_serial(ctx, enc, options, deadline, search, stats);
    } catch (const NotEncoded& e) {  // the budget ran out while the constraints were built
        search.note(std::string("not encoded: ") + e.what());
    }
    std::sort(search.outcomes.begin(), search.outcomes.end(), [](const Outcome& a, const Outcome& b) { return a.text < b.text; });
    return std::move(search.outcomes);
}

std::string to_smt2(const Program& program, const CheckOptions& options) {
    z3::context ctx;
    std::string why;
    std::optional<Encoding> enc = encoded(ctx, program, options.bound, true, options.budget, why);
    if (!enc) return fmt::format("; {}\n", why);
    Solver solver(ctx, options.timeout_seconds);
    try {
        for (const auto& c : enc->constraints()) solver.add(c);
    } catch (const NotEncoded& e) {
        return fmt::format("; not encoded: {}\n", e.what());
    }
    fix_inputs(solver, *enc, options);
    return solver.to_smt2();
}

}  // namespace critsec::checker
