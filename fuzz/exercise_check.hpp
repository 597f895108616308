#pragma once
// What the checker fuzz targets do with their bytes, shared with the regression
// test of their crashers (tests/fuzz_regressions_test.cpp), so a kept crasher
// replays exactly what failed.
//
// exercise_check (fuzz_check.cpp): the bytes become a valid spec, either the
// bytes themselves when they read as a spec's text (a mutated corpus spec;
// those that do not compile are skipped) or, otherwise, the choices of
// SpecFromBytes; then `check` (the engine `auto` by default, one byte in eight
// the explorer or Z3 alone) with the spec's watches, the witnesses drawn as
// charts and ITF, `outcomes` (the compiled search, then the explorer; the
// spec's `# fixed-inputs:` when every input is too many), and the claims of a
// text spec judged, all on tiny budgets. A finding is what the engines must
// never say: internal text in a verdict, a detail, an outcome or a reason.
// Exceptions are left to escape: the fuzzer reports them as crashes.
//
// exercise_differential (fuzz_differential.cpp): a small generated spec, the
// explorer against the Z3 encoding, the inductive engine, the shape proofs and
// the compiled outcome search, as tests/z3_differential_test.cpp compares them;
// a finding is a disagreement where both sides decided.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>

#include "checker/budget.hpp"
#include "checker/claims.hpp"
#include "checker/engines.hpp"
#include "checker/input_errors.hpp"
#include "checker/outcomes.hpp"
#include "checker/symbolic/symbolic_session.hpp"
#include "checker/witness/trace_render.hpp"
#include "fuzz/spec_from_bytes.hpp"
#include "model/expectations.hpp"
#include "model/frontend.hpp"

namespace critsec::fuzz {

// The tiny budgets: per engine call, time and memory (resident, which under
// ASan includes its shadow and quarantine, hence not smaller).
inline constexpr double kCheckSeconds = 0.5;
inline constexpr size_t kMaxMemoryMb = 1536;
inline constexpr size_t kMaxStates = 50'000;
// The budget is asked between states, not inside one move's enumeration of the
// children's randint draws (up to 10,000 combinations by default): under ASan
// such a move took seconds, 16 times a 0.5 s budget. A smaller limit keeps a
// unit within the fuzzer's -timeout.
inline constexpr int64_t kMaxInputCombinations = 500;

struct FuzzRun {
    std::string spec;     // the spec that was checked ("" when the bytes made none that compiles)
    std::string finding;  // "" when all is well
};

// A spec's text (a mutated corpus spec) or a generator's choices?
inline bool reads_as_text(const uint8_t* data, size_t size) {
    return size > 0 && (std::isalpha(data[0]) || data[0] == '#' || data[0] == '\n');
}

namespace detail {

// CRITSEC_FUZZ_VERBOSE=1: the spec and each phase's time on stderr (to triage a slow unit).
inline void trace(const char* what, const std::string& text = "") {
    static const bool on = std::getenv("CRITSEC_FUZZ_VERBOSE") != nullptr;
    static auto last = std::chrono::steady_clock::now();
    if (!on) return;
    auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "[%.3f s] %s\n%s", std::chrono::duration<double>(now - last).count(), what, text.c_str());
    last = now;
}

inline void note_internal(std::string& finding, const std::string& spec, const std::string& where, const std::string& text) {
    // A spec of the fuzzer's may print the word itself; then only the engines' own words count.
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
    if (lower.find("internal") == std::string::npos || spec.find("nternal") != std::string::npos) return;
    if (finding.empty()) finding = where + ": " + text;
}

inline void note_results(std::string& finding, const model::Program& program, const std::string& spec,
                         const std::vector<checker::PropertyResult>& results, const std::string& where) {
    for (const auto& r : results) {
        note_internal(finding, spec, where + " " + r.name, r.detail);
        if (!r.witness) continue;
        note_internal(finding, spec, where + " chart of " + r.name, checker::chart_of(program, *r.witness));
        note_internal(finding, spec, where + " itf of " + r.name, checker::itf_of(program, *r.witness, r.name).dump());
    }
}

// The explorer's outcome in the Z3 engine's terms (tests/z3_differential_test.cpp).
inline std::string without_explorer_extras(const std::string& text) {
    std::string out, line;
    std::istringstream in(text);
    while (std::getline(in, line))
        if (line.rfind("main prints: ", 0) != 0 && line.rfind("deadlock: ", 0) != 0) out += line + "\n";
    return out;
}

inline std::string listing(const std::set<std::string>& outcomes) {
    std::string out;
    for (const auto& t : outcomes) out += t + "----\n";
    return out;
}

}  // namespace detail

inline FuzzRun exercise_check(const uint8_t* data, size_t size) {
    FuzzRun run;
    int engine_choice = 0;
    bool text = reads_as_text(data, size);
    if (text) {
        run.spec.assign(reinterpret_cast<const char*>(data), size);
    } else {
        if (size > 0) engine_choice = data[0] % 8, ++data, --size;
        run.spec = SpecFromBytes(data, size).spec();
    }
    detail::trace("spec", run.spec);
    Compiled c = compile_source("fuzz.crit", run.spec);
    if (!c.program) {
        run.spec.clear();
        return run;
    }
    const model::Program& program = *c.program;
    SpecExpectations expectations = parse_expectations(c.source);

    checker::Budget check_budget(kCheckSeconds, kMaxMemoryMb, false);
    checker::ExplorerSettings settings;
    settings.max_states = kMaxStates;
    settings.max_input_combinations = kMaxInputCombinations;
    settings.options.bound = 4;
    settings.options.timeout_seconds = kCheckSeconds;
    settings.options.budget = &check_budget;
    for (const auto& e : expectations.expectations)
        if (checker::is_watch(e)) settings.watches.push_back(e);
    checker::Engine engine = engine_choice == 1 ? checker::Engine::Explorer : engine_choice == 2 ? checker::Engine::Z3 : checker::Engine::Auto;
    detail::trace("compiled");
    checker::SpecCheck check = checker::check_spec(program, settings, engine);
    detail::trace("check", check.scope_text + ", " + std::to_string(check.states) + " states\n");
    detail::note_results(run.finding, program, run.spec, check.properties, "check");
    detail::note_internal(run.finding, run.spec, "check scope", check.scope_text);

    checker::Budget outcome_budget(kCheckSeconds, kMaxMemoryMb, false);
    checker::OutcomeSettings os;
    os.options.bound = 4;
    os.options.timeout_seconds = kCheckSeconds;
    os.options.budget = &outcome_budget;
    os.max_states = kMaxStates;
    os.max_input_combinations = kMaxInputCombinations;
    checker::OutcomeReport report = checker::enumerate_outcomes(program, os);
    detail::trace("outcomes", report.incomplete + ", " + std::to_string(report.states) + " states\n");
    if (!report.complete && expectations.fixed_inputs) {  // as `critsec outcomes` does (cli/main_inputs.cpp)
        os.options.fixed_inputs = std::vector<int64_t>(expectations.fixed_inputs->begin(), expectations.fixed_inputs->end());
        try {
            report = checker::enumerate_outcomes(program, os);
        } catch (const checker::InputOutOfRange&) {  // the command's diagnostic at the draw's line
        }
    }
    for (const auto& o : report.outcomes) {
        detail::note_internal(run.finding, run.spec, "outcome", o.text);
        detail::note_internal(run.finding, run.spec, "outcome chart", checker::chart_of(program, o.witness));
    }
    detail::note_internal(run.finding, run.spec, "outcomes incomplete", report.incomplete);
    detail::note_internal(run.finding, run.spec, "compiled declined", report.compiled_declined);

    if (text && !expectations.expectations.empty()) {
        checker::Budget claims_budget(kCheckSeconds, kMaxMemoryMb, false);
        try {
            checker::SpecVerdicts v = checker::judge_claims(program, expectations, checker::Engine::Auto, &claims_budget);
            detail::trace("claims");
            for (const auto& claim : v.claims) detail::note_internal(run.finding, run.spec, "claim " + claim.stated, claim.found);
        } catch (const checker::InputOutOfRange&) {  // `critsec suite` reports it at the draw's line
        }
    }
    return run;
}

inline FuzzRun exercise_differential(const uint8_t* data, size_t size) {
    FuzzRun run;
    GeneratorOptions g;
    g.watches = false;
    g.loops = size > 0 && data[0] % 4 == 0;  // a quarter with while loops
    g.max_instances = 3;
    if (size > 0) ++data, --size;
    SpecFromBytes gen(data, size, g);
    run.spec = gen.spec();
    Compiled c = compile_source("fuzz.crit", run.spec);
    if (!c.program) {
        run.spec.clear();
        return run;
    }
    const model::Program& program = *c.program;
    bool loops = gen.has_loops();
    std::ostringstream why;

    checker::Budget explorer_budget(2.0, kMaxMemoryMb, false);
    checker::ExplorerSettings settings;
    settings.max_states = 200'000;
    settings.options.budget = &explorer_budget;
    checker::ExplorerCheck explored = checker::check_with_explorer(program, settings);
    auto explorer_verdict = [&](const std::string& key) -> const checker::PropertyResult* {
        auto e = std::find_if(explored.properties.begin(), explored.properties.end(), [&](const auto& r) { return r.key == key; });
        if (e == explored.properties.end() || (e->verdict != checker::Verdict::Proved && e->verdict != checker::Verdict::Violated))
            return nullptr;
        return &*e;
    };

    checker::Budget z3_budget(2.0, kMaxMemoryMb, false);
    checker::CheckOptions options;
    options.timeout_seconds = 2.0;
    options.budget = &z3_budget;
    if (loops) options.bound = 4;
    for (const auto& z : checker::check_with_z3(program, options)) {
        const auto* e = explorer_verdict(z.key);
        if (!e || (z.verdict != checker::Verdict::Proved && z.verdict != checker::Verdict::Violated)) continue;
        // With loops Z3 unrolls to the bound: it may know less, never something else.
        bool agree = loops ? !(z.verdict == checker::Verdict::Violated && e->verdict != checker::Verdict::Violated) &&
                                 !(z.verdict == checker::Verdict::Proved && e->verdict != checker::Verdict::Proved)
                           : z.verdict == e->verdict;
        if (!agree)
            why << z.key << ": explorer " << checker::verdict_name(e->verdict) << " (" << e->detail << "), z3 "
                << checker::verdict_name(z.verdict) << " (" << z.detail << ")\n";
    }

    // What the inductive engine and the shape proofs prove, the explorer must not find violated.
    checker::Budget symbolic_budget(2.0, kMaxMemoryMb, false);
    checker::CheckOptions sym = options;
    sym.budget = &symbolic_budget;
    std::vector<checker::PropertyResult> proved = checker::prove_by_induction(program, sym).proved;
    for (const auto& r : checker::prove_safety_by_shape(program, sym).proved) proved.push_back(r);
    for (const auto& p : proved) {
        const auto* e = explorer_verdict(p.key);
        if (e && e->verdict == checker::Verdict::Violated)
            why << p.key << ": proved (" << p.detail << "), explorer VIOLATED (" << e->detail << ")\n";
    }

    // Outcomes under fixed inputs: the explorer, the compiled search, Z3.
    checker::Budget outcome_budget(2.0, kMaxMemoryMb, false);
    checker::OutcomeSettings os;
    os.options.fixed_inputs = gen.main_inputs();
    os.options.budget = &outcome_budget;
    os.max_states = 200'000;
    os.compiled = false;
    checker::OutcomeReport explorer_report = checker::enumerate_outcomes(program, os);
    if (explorer_report.complete) {
        std::set<std::string> explorer_outcomes, compiled_outcomes, explorer_for_z3;
        for (const auto& o : explorer_report.outcomes) {
            explorer_outcomes.insert(o.text);
            if (o.text.find("livelock: ") == std::string::npos) explorer_for_z3.insert(detail::without_explorer_extras(o.text));
        }
        checker::Budget compiled_budget(2.0, kMaxMemoryMb, false);
        os.options.budget = &compiled_budget;
        os.compiled = true;
        checker::OutcomeReport compiled_report = checker::enumerate_outcomes(program, os);
        for (const auto& o : compiled_report.outcomes) compiled_outcomes.insert(o.text);
        if (compiled_report.compiled && compiled_report.complete && compiled_outcomes != explorer_outcomes)
            why << "outcomes: compiled search\n" << detail::listing(compiled_outcomes) << "explorer\n" << detail::listing(explorer_outcomes);

        checker::Budget z3_outcome_budget(2.0, kMaxMemoryMb, false);
        checker::CheckOptions zo = options;
        zo.fixed_inputs = gen.main_inputs();
        zo.budget = &z3_outcome_budget;
        std::string incomplete;
        std::set<std::string> z3_outcomes;
        for (const auto& o : checker::outcomes_with_z3(program, zo, &incomplete)) z3_outcomes.insert(o.text);
        bool included = std::includes(explorer_for_z3.begin(), explorer_for_z3.end(), z3_outcomes.begin(), z3_outcomes.end());
        // Z3 may stop early (budget, bound, not encoded); whatever it lists the explorer must list,
        // and when it says its list is complete the lists are the same.
        if (!included || (incomplete.empty() && z3_outcomes != explorer_for_z3))
            why << "outcomes (z3 " << (incomplete.empty() ? "complete" : incomplete) << "): z3\n"
                << detail::listing(z3_outcomes) << "explorer\n" << detail::listing(explorer_for_z3);
    }
    run.finding = why.str();
    return run;
}

}  // namespace critsec::fuzz
