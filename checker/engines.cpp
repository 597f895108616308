#include "checker/engines.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "checker/budget.hpp"
#include "checker/explorer/assert_reach.hpp"
#include "checker/explorer/loop_policy.hpp"
#include "checker/explorer/machine.hpp"
#include "checker/explorer/prepared_program.hpp"
#include "checker/explorer/progress.hpp"
#include "checker/symbolic/symbolic_session.hpp"
#include "checker/witness/shortest_witness.hpp"

namespace critsec::checker {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

bool z3_can_decide(const PropertyResult& r) {
    bool builtin = r.kind == PropertyKind::Assert || r.kind == PropertyKind::LostUpdate || r.kind == PropertyKind::Deadlock ||
                   r.kind == PropertyKind::RuntimeError;
    return builtin && (r.verdict == Verdict::Unknown || r.verdict == Verdict::Bounded);
}

bool decisive(Verdict v) { return v == Verdict::Proved || v == Verdict::Violated; }

// What the explorer left open, from the proofs by induction and by shape.
void take_proofs(SpecCheck& out, const InductionResult& induced, const ShapeSafety& shaped) {
    for (size_t i = 0; i < out.properties.size(); ++i) {
        if (!z3_can_decide(out.properties[i])) continue;
        for (const auto& [proofs, by] : {std::pair{&induced.proved, "induction"}, std::pair{&shaped.proved, "shape"}})
            for (const auto& p : *proofs) {
                if (p.key != out.properties[i].key || !z3_can_decide(out.properties[i])) continue;
                out.properties[i] = p;
                out.decided_by[i] = by;
            }
    }
}

// What is still open, from Z3.
void take_z3(SpecCheck& out, SymbolicSession& symbolic) {
    auto tz = Clock::now();
    std::vector<PropertyResult> solved = symbolic.check_with_z3();
    out.z3_seconds = since(tz);
    for (size_t i = 0; i < out.properties.size(); ++i) {
        if (!z3_can_decide(out.properties[i])) continue;
        for (auto& s : solved) {
            // A BOUNDED explorer verdict is only replaced by a decisive one.
            if (s.key != out.properties[i].key || !decisive(s.verdict)) continue;
            out.properties[i] = std::move(s);
            out.decided_by[i] = "z3";
            break;
        }
    }
}

// Progress is decided on the whole state graph, by the explorer's machine
// whatever the engine (Z3 unrolls loops, and cannot see an execution that never
// ends); it goes after the built-in properties, before the watches.
void add_progress(SpecCheck& out, const model::Program& program, const ExplorerSettings& settings) {
    auto t0 = Clock::now();
    std::optional<PropertyResult> progress;
    // The explorer's BOUNDED means the loops' states met no end in its safety search
    // already: the whole graph (no reduction) would not end either. (Z3's BOUNDED only
    // says it unrolled to --bound: it knows nothing of the states.)
    bool growing = false;
    for (size_t i = 0; i < out.properties.size(); ++i)
        growing = growing || (out.properties[i].verdict == Verdict::Bounded && out.decided_by[i] == "explorer");
    if (growing && has_while_loops(program))
        progress =
            PropertyResult{PropertyKind::Progress,
                           "progress",
                           Verdict::Unknown,
                           "the states of a loop keep growing (see the BOUNDED verdicts): progress is decided only where they are finite",
                           std::nullopt,
                           "progress"};
    else progress = check_progress(prepare(program), settings);
    if (!progress) return;
    auto at =
        std::find_if(out.properties.begin(), out.properties.end(), [](const PropertyResult& p) { return p.kind > PropertyKind::Progress; });
    size_t index = static_cast<size_t>(at - out.properties.begin());
    out.properties.insert(at, std::move(*progress));
    out.decided_by.insert(out.decided_by.begin() + static_cast<std::ptrdiff_t>(index), "explorer");
    out.seconds += since(t0);
}

SpecCheck check_safety(const model::Program& program, const ExplorerSettings& settings, Engine engine) {
    auto t0 = Clock::now();
    SpecCheck out;
    if (settings.options.fixed_inputs) check_main_inputs(prepare(program), *settings.options.fixed_inputs);  // throws InputOutOfRange
    SymbolicSession symbolic(program, settings.options);
    if (engine == Engine::Z3) {
        out.properties = symbolic.check_with_z3();
        out.decided_by.assign(out.properties.size(), "z3");
        out.scope_text = settings.options.fixed_inputs ? "inputs fixed" : "every input (symbolic)";
        out.seconds = out.z3_seconds = since(t0);
        return out;
    }
    // Watches only the explorer decides: it searches whatever the other engines
    // prove (the small search skips a spec with watches, and a proof by
    // induction does not end the check), so they are asked after it, and only
    // for what it leaves open. Most specs with watches then need no Z3 at all.
    bool explorer_first = engine == Engine::Auto && !settings.watches.empty();

    // A race defeats the inductive engine's invariant (and makes it slow to say
    // so), but the spec's shape may still exclude a deadlock and runtime errors;
    // then a small search may find every other property violated.
    ShapeSafety shaped;
    if (engine == Engine::Auto && !explorer_first) shaped = symbolic.prove_safety_by_shape();
    ExplorerSettings explore = settings;
    for (const auto& p : shaped.proved) explore.settled.push_back(p.key);
    std::optional<ExplorerCheck> quick;
    if (!explore.settled.empty()) quick = find_every_violation(program, explore);

    // The inductive engine is cheap when it applies, and it is the only one that
    // proves value asserts over many processes; it answers only what it proved.
    InductionResult induced;
    if (engine == Engine::Auto && !explorer_first && !quick) induced = symbolic.prove_by_induction();
    if (induced.complete && settings.watches.empty()) {
        // Every property is proved for every interleaving and input: the explorer could only agree.
        out.properties = std::move(induced.proved);
        out.decided_by.assign(out.properties.size(), "induction");
        out.scope_text = "every interleaving and input (inductive invariant)";
        out.seconds = out.z3_seconds = since(t0);
        return out;
    }

    ExplorerCheck explored = quick ? std::move(*quick) : check_with_explorer(program, explore);
    out.properties = std::move(explored.properties);
    out.decided_by.assign(out.properties.size(), "explorer");
    out.scope_text = explored.scope_text;
    out.states = explored.states;
    out.unknown_watches = std::move(explored.unknown_watches);

    if (explorer_first && std::any_of(out.properties.begin(), out.properties.end(), z3_can_decide)) {
        shaped = symbolic.prove_safety_by_shape();
        induced = symbolic.prove_by_induction();
    }
    take_proofs(out, induced, shaped);
    bool time_left = !settings.options.budget || !settings.options.budget->spent_now();
    if (engine == Engine::Auto && time_left && std::any_of(out.properties.begin(), out.properties.end(), z3_can_decide))
        take_z3(out, symbolic);
    out.seconds = since(t0);
    return out;
}

// An assert proved but reached by no execution holds vacuously: whichever engine
// proved it, it is UNREACHED instead, and UNKNOWN when no execution of the inputs
// tried reaches it and there are too many to try them all. An assert the search
// could not settle within its budget keeps its proof.
void mark_unreached_asserts(SpecCheck& out, const model::Program& program, const ExplorerSettings& settings) {
    std::vector<int> ids;
    std::vector<size_t> at;
    for (size_t i = 0; i < out.properties.size(); ++i) {
        const PropertyResult& r = out.properties[i];
        if (r.kind != PropertyKind::Assert || r.verdict != Verdict::Proved) continue;
        for (size_t a = 0; a < program.asserts.size(); ++a)
            if (r.key == fmt::format("assert@{}", program.asserts[a].loc.line) &&
                std::find(ids.begin(), ids.end(), static_cast<int>(a)) == ids.end()) {
                ids.push_back(static_cast<int>(a));
                at.push_back(i);
                break;
            }
    }
    if (ids.empty()) return;
    auto t0 = Clock::now();
    ReachOptions options{settings.options.fixed_inputs, settings.max_input_combinations, settings.max_states, settings.options.budget};
    std::vector<AssertReach> reach = reach_asserts(prepare(program), ids, options);
    for (size_t k = 0; k < reach.size(); ++k) {
        if (reach[k].reach != Reach::Unreached && reach[k].reach != Reach::NotReachedSampled) continue;
        PropertyResult& r = out.properties[at[k]];
        // Not reached by the inputs tried, it may still be reached by others: not known to be vacuous, nor known not to be.
        bool all = reach[k].reach == Reach::Unreached;
        r.verdict = all ? Verdict::Unreached : Verdict::Unknown;
        r.detail = all ? "never reached: " + reach[k].why + "; it holds only because it never runs"
                       : "holds where it runs, but " + reach[k].why + ": perhaps it never runs";
        r.witness.reset();
        out.decided_by[at[k]] = "explorer";
    }
    out.seconds += since(t0);
}

}  // namespace

SpecCheck check_spec(const model::Program& program, const ExplorerSettings& settings, Engine engine) {
    SpecCheck out = check_safety(program, settings, engine);
    mark_unreached_asserts(out, program, settings);
    add_progress(out, program, settings);
    auto t0 = Clock::now();
    shorten_counterexamples(program, out.properties);
    out.seconds += since(t0);
    return out;
}

std::optional<Verdict> verdict_of_kind(const SpecCheck& check, PropertyKind kind) {
    std::optional<Verdict> all;
    for (const auto& r : check.properties) {
        if (r.kind != kind) continue;
        if (!all) all = Verdict::Proved;
        if (r.verdict != Verdict::Proved && all != Verdict::Violated) all = r.verdict;
    }
    return all;
}

}  // namespace critsec::checker
