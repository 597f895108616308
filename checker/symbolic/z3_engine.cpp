#include "checker/symbolic/z3_engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "checker/symbolic/encoder.hpp"
#include "checker/symbolic/solver.hpp"
#include "model/cpu_count.hpp"
#include "model/memory_world.hpp"
#include "model/semantics.hpp"

namespace critsec::checker {
namespace {

using namespace critsec::model;
using Clock = std::chrono::steady_clock;

int64_t int_in(const z3::model& m, const z3::expr& e) {
    z3::expr v = m.eval(e, true);
    int64_t out = 0;
    if (v.is_numeral()) {
        try {
            out = v.get_numeral_int64();
        } catch (const z3::exception&) {
        }
    }
    return out;
}

bool true_in(const z3::model& m, const z3::expr& e) { return m.eval(e, true).is_true(); }

std::map<std::string, std::string> shared_state(const Program& program, const MemoryWorld& world) {
    std::map<std::string, std::string> out;
    for (size_t o = 0; o < program.objects.size(); ++o) {
        const auto& obj = program.objects[o];
        if (obj.kind == ObjectKind::Value) out[obj.name + ".value"] = std::to_string(world.cells[o][0]);
        else if (obj.kind == ObjectKind::Array) out[obj.name] = fmt::format("[{}]", fmt::join(world.cells[o], ", "));
        else if (obj.kind == ObjectKind::File)
            out["file " + obj.file_name] = world.files[o].exists ? fmt::format("{:?}", world.files[o].content) : "absent";
    }
    return out;
}

struct Replay {
    explicit Replay(const Program& p) : world(p, model::machine_cpu_count()) {}  // predicts for this machine
    bool ok = true;
    std::string mismatch;
    MemoryWorld world;
    Witness witness;
    bool lost = false;
    std::string lost_detail;
    DrawSource draws;
};

// Can the process move from this state (a copy of the world is used)?
bool blocked(const Program& program, const MemoryWorld& world, const ProcessState& state, const DrawSource& draws) {
    if (state.finished) return false;
    MemoryWorld w = world;
    ProcessState s = state;
    run_locals(program, s, w, draws);
    if (s.finished) return false;
    return execute_step(program, s, w) == model::StepResult::Blocked;
}

// Replays the executed steps of the model in timestamp order on the concrete semantics.
Replay replay(const Program& program, const Encoding& enc, const z3::model& m) {
    Replay r(program);
    std::map<std::pair<int, int>, int64_t> draw_values;
    for (const auto& d : enc.draws) {
        int64_t v = int_in(m, d.var);
        draw_values[{d.instance, d.index}] = v;
        r.witness.draws.push_back({d.instance, d.index, v});
    }
    std::sort(r.witness.draws.begin(), r.witness.draws.end(),
              [](const DrawValue& a, const DrawValue& b) { return std::tie(a.instance, a.index) < std::tie(b.instance, b.index); });
    for (const auto& d : r.witness.draws)
        if (d.instance == 0) r.witness.inputs.push_back(d.value);
    r.draws = [draw_values](int instance, int index, int64_t low, int64_t high) {
        auto it = draw_values.find({instance, index});
        int64_t v = it == draw_values.end() ? low : it->second;
        return std::clamp(v, low, high);
    };

    std::vector<std::pair<int64_t, int>> schedule;
    for (const EncodedEvent& e : enc.events)
        if (e.is_step && true_in(m, e.exec)) schedule.push_back({int_in(m, e.t), e.id});
    std::sort(schedule.begin(), schedule.end());

    MemoryWorld& world = r.world;
    std::map<std::pair<int, int64_t>, int> last_store;             // (object, cell) -> row
    std::map<std::pair<int, int>, int> seen_at_load;                 // (instance, pc) -> row of the store it saw
    auto fail = [&](std::string why) {
        r.ok = false;
        r.mismatch = std::move(why);
    };
    for (auto [time, id] : schedule) {
        const EncodedEvent& e = enc.events[id];
        const ProcessState* p = world.lookup(e.instance);
        if (!p) return fail(fmt::format("{} moves before it is started", enc.labels[e.instance])), r;
        ProcessState st = *p;
        run_locals(program, st, world, r.draws);
        if (st.finished) return fail(fmt::format("{} finished before step {}", st.label, e.step)), r;
        if (st.pc != e.pc) return fail(fmt::format("{} is at pc {}, the encoding at pc {}", st.label, st.pc, e.pc)), r;
        const ProcessTemplate& code = template_of(program, st);
        const Instr& instr = code.code[st.pc];
        model::Event ev{};
        model::StepResult o = execute_step(program, st, world, &ev);
        // Local code after the step runs at once: the process finishes, or fails locally, here.
        if (o == model::StepResult::Ran) run_locals(program, st, world, r.draws);
        *world.find(e.instance) = st;
        bool expect_fail = e.kind == EventKind::Fail;
        if (o == model::StepResult::Blocked) return fail(fmt::format("{} is blocked at step {}", st.label, e.step)), r;
        if (expect_fail != (o == model::StepResult::Failed))
            return fail(fmt::format("{} {} at step {}, the encoding says it {}", st.label, o == model::StepResult::Failed ? "fails" : "succeeds",
                                    e.step, expect_fail ? "fails" : "succeeds")),
                   r;
        TraceStep row;
        row.instance = e.instance;
        row.process = st.label;
        row.step = instr.step;
        row.line = instr.loc.line;
        row.action = expect_fail ? (ev.what.empty() ? "error: " + st.error : ev.what) : ev.what;
        int index = static_cast<int>(r.witness.steps.size());
        if (!expect_fail && e.kind == EventKind::Load) {
            auto key = std::make_pair(e.object, int_in(m, *e.cell));
            auto it = last_store.find(key);
            seen_at_load[{e.instance, e.pc}] = it == last_store.end() ? -1 : it->second;
        }
        if (!expect_fail && e.kind == EventKind::Store) {
            auto key = std::make_pair(e.object, int_in(m, *e.cell));
            auto it = last_store.find(key);
            int current = it == last_store.end() ? -1 : it->second;
            const auto& store = std::get<Store>(instr.node);
            for (int from : store.read_from) {
                auto seen = seen_at_load.find({e.instance, from});
                if (seen == seen_at_load.end() || current < 0 || seen->second == current) continue;
                const TraceStep& other = r.witness.steps[current];
                if (other.instance == e.instance) continue;
                row.lost_write = true;
                row.note = fmt::format("stale: overwrites {}'s store at row {}", other.process, current + 1);
                r.witness.steps[current].overwritten = true;
                if (!r.lost)
                    r.lost_detail = fmt::format("{}'s store of {} overwrote {}'s, which it never read", st.label,
                                                ev.what.substr(6, ev.what.find(" = ") - 6), other.process);
                r.lost = true;
                break;
            }
            last_store[key] = index;
        }
        row.shared_after = shared_state(program, world);
        r.witness.steps.push_back(std::move(row));
    }
    for (size_t i = 0; i < world.processes.size(); ++i) run_locals(program, world.processes.edit(i), world, r.draws);
    return r;
}

bool terminal_state(const Program& program, const Replay& r, std::vector<std::string>* stuck = nullptr) {
    bool all = true;
    for (const auto& p : r.world.processes) {
        if (p.finished) continue;
        if (!blocked(program, r.world, p, r.draws)) all = false;
        else if (stuck) stuck->push_back(p.label);
    }
    return all;
}

struct Deadline {
    Clock::time_point end;
    double left() const { return std::chrono::duration<double>(end - Clock::now()).count(); }
};

void fix_inputs(Solver& s, const Encoding& enc, const CheckOptions& options) {
    if (!options.fixed_inputs) return;
    const auto& fixed = *options.fixed_inputs;
    for (const auto& d : enc.draws)
        if (d.instance == 0 && d.index < static_cast<int>(fixed.size())) s.add(d.var == s.ctx().int_val(fixed[d.index]));
}

// The cheapest exact encoding: stores without wrap-around when no execution
// overflows a typecode (checked on that encoding, see encoder.hpp), else with it.
std::optional<Encoding> try_encode(z3::context& ctx, const Program& program, const CheckOptions& options, std::string& why) {
    try {
        Encoding plain = encode(ctx, program, options.bound, false);
        Solver s(ctx, std::min(options.timeout_seconds, 1.0));
        for (const auto& c : plain.constraints()) s.add(c);
        fix_inputs(s, plain, options);
        s.add(plain.overflow());
        if (s.check().result == SatResult::Unsat) return plain;
        return encode(ctx, program, options.bound, true);
    } catch (const NotEncoded& e) {
        why = std::string("not encoded: ") + e.what();
    } catch (const z3::exception& e) {
        why = std::string("z3: ") + e.msg();
    }
    return std::nullopt;
}

struct Query {
    PropertyKind kind;
    std::string name;
    z3::expr formula;
    int assert_id = -1;
};

z3::expr any_of(z3::context& c, const std::vector<z3::expr>& xs) {
    if (xs.empty()) return c.bool_val(false);
    z3::expr_vector v(c);
    for (const auto& x : xs) v.push_back(x);
    return z3::mk_or(v);
}

}  // namespace

namespace {
std::vector<PropertyResult> decide_with_z3(z3::context& ctx, const Program& program, const CheckOptions& options, Z3Stats* stats);
}  // namespace

std::vector<PropertyResult> check_with_z3(const Program& program, const CheckOptions& options, Z3Stats* stats) {
    z3::context ctx;
    return check_with_z3(ctx, program, options, stats);
}

// The keys `# expect:` lines use, as the explorer gives them.
std::vector<PropertyResult> check_with_z3(z3::context& ctx, const Program& program, const CheckOptions& options, Z3Stats* stats) {
    std::vector<PropertyResult> results = decide_with_z3(ctx, program, options, stats);
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

namespace {
std::vector<PropertyResult> decide_with_z3(z3::context& ctx, const Program& program, const CheckOptions& options, Z3Stats* stats) {
    std::vector<PropertyResult> results;
    auto add_all_unknown = [&](const std::string& why) {
        for (const auto& a : program.asserts)
            results.push_back({PropertyKind::Assert, fmt::format("assert at line {}", a.loc.line), Verdict::Unknown, why, std::nullopt, {}});
        results.push_back({PropertyKind::LostUpdate, "lost update", Verdict::Unknown, why, std::nullopt, {}});
        results.push_back({PropertyKind::Deadlock, "deadlock", Verdict::Unknown, why, std::nullopt, {}});
        results.push_back({PropertyKind::RuntimeError, "runtime error", Verdict::Unknown, why, std::nullopt, {}});
    };
    Deadline deadline{Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000))};
    std::string why;
    std::optional<Encoding> enc_holder = try_encode(ctx, program, options, why);
    if (!enc_holder) {
        add_all_unknown(why);
        return results;
    }
    const Encoding& enc = *enc_holder;

    std::vector<Query> queries;
    for (size_t a = 0; a < program.asserts.size(); ++a) {
        std::vector<z3::expr> fails;
        for (const EncodedEvent& e : enc.events)
            if (e.kind == EventKind::Fail && e.is_assert && e.assert_id == static_cast<int>(a)) fails.push_back(e.exec);
        queries.push_back({PropertyKind::Assert, fmt::format("assert at line {}", program.asserts[a].loc.line), any_of(ctx, fails),
                           static_cast<int>(a)});
    }
    std::vector<z3::expr> lost;
    for (const EncodedEvent& S : enc.events) {
        if (S.kind != EventKind::Store) continue;
        for (int l : S.read_from)
            for (const EncodedEvent& O : enc.events)
                if (O.kind == EventKind::Store && O.object == S.object && O.instance != S.instance)
                    lost.push_back(enc.lost_update(S.id, l, O.id));
    }
    queries.push_back({PropertyKind::LostUpdate, "lost update", any_of(ctx, lost)});
    queries.push_back({PropertyKind::Deadlock, "deadlock", enc.deadlock()});
    std::vector<z3::expr> errors;
    for (const EncodedEvent& e : enc.events)
        if (e.kind == EventKind::Fail && !e.is_assert) errors.push_back(e.exec);
    queries.push_back({PropertyKind::RuntimeError, "runtime error", any_of(ctx, errors)});

    Solver solver(ctx, options.timeout_seconds);
    int count = 0;
    try {
        for (const auto& c : enc.constraints()) {
            solver.add(c);
            ++count;
        }
        fix_inputs(solver, enc, options);
    } catch (const z3::exception& e) {
        add_all_unknown(std::string("z3: ") + e.msg());
        return results;
    }
    if (stats) {
        stats->events = static_cast<int>(enc.events.size());
        stats->constraints = count;
    }

    // Lost update, value-free first: the ordering pattern alone (a store of the
    // cell between a load and the store computed from it). Unsat there is a
    // proof; a model whose schedule replays to a lost update is a witness.
    std::optional<PropertyResult> lost_result;
    auto value_free_started = Clock::now();
    try {
        Solver vf(ctx, std::max(0.01, deadline.left()));
        for (const auto& c : enc.constraints(false)) vf.add(c);
        vf.add(any_of(ctx, lost));
        SolveResult sr = vf.check();
        if (stats) stats->queries++;
        if (sr.result == SatResult::Unsat) {
            lost_result = PropertyResult{PropertyKind::LostUpdate, "lost update", enc.bounded ? Verdict::Bounded : Verdict::Proved,
                                         enc.bounded ? fmt::format("no violation within {} loop iterations (loops not exhausted)", enc.bound)
                                                     : "no interleaving puts another store between a load and the store computed from it",
                                         std::nullopt, {}};
        } else if (sr.result == SatResult::Sat) {
            for (const EncodedEvent& e : enc.events)
                if (e.kind == EventKind::Fail) vf.add(!e.exec);
            fix_inputs(vf, enc, options);
            SolveResult again = vf.check();
            if (again.result == SatResult::Sat) {
                Replay r = replay(program, enc, *again.model);
                if (r.ok && r.lost)
                    lost_result = PropertyResult{PropertyKind::LostUpdate, "lost update", Verdict::Violated, r.lost_detail, std::move(r.witness), {}};
            }
        }
    } catch (const z3::exception&) {
    }

    int qi = 0;
    double value_free_seconds = std::chrono::duration<double>(Clock::now() - value_free_started).count();
    for (const Query& q : queries) {
        auto started = Clock::now();
        if (q.kind == PropertyKind::LostUpdate)
            started -= std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(value_free_seconds));
        struct Timer {
            Z3Stats* stats;
            std::string name;
            Clock::time_point started;
            ~Timer() {
                if (stats) stats->property_seconds.push_back({name, std::chrono::duration<double>(Clock::now() - started).count()});
            }
        } timer{stats, q.name, started};
        if (q.kind == PropertyKind::LostUpdate && lost_result) {
            results.push_back(std::move(*lost_result));
            continue;
        }
        PropertyResult res{q.kind, q.name, Verdict::Unknown, "", std::nullopt, {}};
        solver.set_timeout(deadline.left());
        z3::expr lit = ctx.bool_const(fmt::format("query{}", qi++).c_str());
        SolveResult sr;
        try {
            solver.add(z3::implies(lit, q.formula));
            sr = solver.check({lit});
        } catch (const z3::exception& e) {
            sr.result = SatResult::Unknown;
            sr.reason = std::string("z3: ") + e.msg();
        }
        if (stats) {
            stats->queries++;
            stats->solve_seconds += sr.seconds;
        }
        if (sr.result == SatResult::Unsat) {
            res.verdict = enc.bounded ? Verdict::Bounded : Verdict::Proved;
            res.detail = enc.bounded ? fmt::format("no violation within {} loop iterations (loops not exhausted)", enc.bound)
                                     : "holds for every interleaving and input";
        } else if (sr.result == SatResult::Unknown) {
            res.detail = "solver: " + sr.reason;
        } else {
            Replay r = replay(program, enc, *sr.model);
            bool confirmed = false;
            if (r.ok) {
                switch (q.kind) {
                    case PropertyKind::Assert:
                        for (const auto& p : r.world.processes) {
                            const Instr* at = p.pc < static_cast<int>(template_of(program, p).code.size()) ? &template_of(program, p).code[p.pc] : nullptr;
                            const auto* as = at ? std::get_if<AssertStep>(&at->node) : nullptr;
                            if (as && as->assert_id == q.assert_id && p.error.rfind("AssertionError", 0) == 0) {
                                confirmed = true;
                                res.detail = fmt::format("{}: {}", p.label, p.error);
                            }
                        }
                        break;
                    case PropertyKind::LostUpdate:
                        confirmed = r.lost;
                        res.detail = r.lost_detail;
                        break;
                    case PropertyKind::Deadlock: {
                        std::vector<std::string> stuck;
                        confirmed = terminal_state(program, r, &stuck) && !stuck.empty();
                        res.detail = fmt::format("no process can move; blocked: {}", fmt::join(stuck, ", "));
                        break;
                    }
                    case PropertyKind::RuntimeError:
                        for (const auto& p : r.world.processes) {
                            if (p.error.empty() || confirmed) continue;
                            const auto& code = template_of(program, p).code;
                            bool at_assert = p.pc < static_cast<int>(code.size()) && std::holds_alternative<AssertStep>(code[p.pc].node) &&
                                             p.error.rfind("AssertionError", 0) == 0;
                            if (at_assert) continue;
                            confirmed = true;
                            res.detail = fmt::format("{}: {}", p.label, p.error);
                        }
                        break;
                    default: break;
                }
            }
            if (confirmed) {
                res.verdict = Verdict::Violated;
                res.witness = std::move(r.witness);
            } else {
                res.verdict = Verdict::Unknown;
                res.detail = r.ok ? "internal: the witness replayed without the violation (encoding bug)"
                                  : "internal: the witness did not replay: " + r.mismatch;
            }
        }
        results.push_back(std::move(res));
    }
    return results;
}
}  // namespace

std::vector<Outcome> outcomes_with_z3(const Program& program, const CheckOptions& options, std::string* incomplete, Z3Stats* stats) {
    std::vector<Outcome> outcomes;
    if (incomplete) incomplete->clear();
    auto note = [&](const std::string& why) {
        if (incomplete && incomplete->empty()) *incomplete = why;
    };
    Deadline deadline{Clock::now() + std::chrono::milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000))};
    z3::context ctx;
    std::string why;
    std::optional<Encoding> enc_holder = try_encode(ctx, program, options, why);
    if (!enc_holder) {
        note(why);
        return outcomes;
    }
    const Encoding& enc = *enc_holder;
    if (enc.bounded) note(fmt::format("loops cut at {} iterations: outcomes beyond the bound are missing", enc.bound));

    Solver solver(ctx, deadline.left());
    std::vector<z3::expr> cells;
    std::vector<z3::expr> fails;
    try {
        for (const auto& c : enc.constraints()) solver.add(c);
        fix_inputs(solver, enc, options);
        solver.add(enc.terminal());
        for (const auto& per_object : enc.final_cells())
            for (const auto& c : per_object) cells.push_back(c);
        for (const EncodedEvent& e : enc.events)
            if (e.kind == EventKind::Fail) fails.push_back(e.exec);
    } catch (const z3::exception& e) {
        note(std::string("z3: ") + e.msg());
        return outcomes;
    }

    std::set<std::string> seen;
    std::vector<z3::expr> descriptions;  // one per outcome: the final values and failures that reach it
    while (true) {
        solver.set_timeout(deadline.left());
        SolveResult sr = solver.check();
        if (stats) {
            stats->queries++;
            stats->solve_seconds += sr.seconds;
        }
        if (sr.result == SatResult::Unsat) break;
        if (sr.result == SatResult::Unknown) {
            note("solver: " + sr.reason);
            break;
        }
        const z3::model& m = *sr.model;
        z3::expr_vector eqs(ctx);
        for (const auto& c : cells) eqs.push_back(c == m.eval(c, true));
        for (const auto& f : fails) eqs.push_back(true_in(m, f) ? f : !f);
        z3::expr description = eqs.empty() ? ctx.bool_val(true) : z3::mk_and(eqs);
        solver.add(!description);
        Replay r = replay(program, enc, m);
        if (!r.ok || !terminal_state(program, r)) {
            note(r.ok ? "internal: a witness replayed to a state that is not final (encoding bug)"
                      : "internal: a witness did not replay: " + r.mismatch);
            continue;
        }
        std::string text = r.world.outcome_text();
        if (!seen.insert(text).second) continue;
        outcomes.push_back({text, false, std::move(r.witness)});
        descriptions.push_back(description);
    }

    // Which outcomes a serial execution (each child whole, one after another) reaches.
    try {
        Solver serial(ctx, std::max(0.1, deadline.left()));
        for (const auto& c : enc.constraints()) serial.add(c);
        fix_inputs(serial, enc, options);
        serial.add(enc.terminal());
        serial.add(enc.serial());
        for (size_t i = 0; i < outcomes.size(); ++i) {
            serial.set_timeout(deadline.left());
            SolveResult sr = serial.check({descriptions[i]});
            if (stats) stats->queries++;
            if (sr.result == SatResult::Sat) outcomes[i].serial = true;
            else if (sr.result == SatResult::Unknown) note("solver: " + sr.reason + " (serial marks)");
        }
    } catch (const z3::exception& e) {
        note(std::string("z3: ") + e.msg());
    }
    std::sort(outcomes.begin(), outcomes.end(), [](const Outcome& a, const Outcome& b) { return a.text < b.text; });
    return outcomes;
}

std::string to_smt2(const Program& program, const CheckOptions& options) {
    z3::context ctx;
    try {
        Encoding enc = encode(ctx, program, options.bound);
        Solver solver(ctx, options.timeout_seconds);
        for (const auto& c : enc.constraints()) solver.add(c);
        fix_inputs(solver, enc, options);
        return solver.to_smt2();
    } catch (const NotEncoded& e) {
        return fmt::format("; not encoded: {}\n", e.what());
    } catch (const z3::exception& e) {
        return fmt::format("; z3: {}\n", e.msg());
    }
}

}  // namespace critsec::checker
