// Differential tests of the Z3 engine against the explicit-state explorer (the
// same verdicts where both decide, the same outcome sets) and against concrete
// executions: every
// outcome a random schedule (model::simulate) reaches must be one the Z3
// engine enumerates, and a failure or deadlock a random run hits must be one
// Z3 reports as VIOLATED. Run on the tutorial specs and on generated small
// specs (Values with wrap-around, Arrays, Locks, Semaphores, branches on shared
// values, asserts, randint inputs).
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <set>
#include <sstream>

#include "checker/explorer/properties.hpp"
#include "checker/outcomes.hpp"
#include "checker/symbolic/symbolic_session.hpp"
#include "model/cpu_count.hpp"
#include "model/frontend.hpp"
#include "model/memory_world.hpp"
#include "tests/spec_generator.hpp"
#include "tests/spec_paths.hpp"
#include "tests/test_scale.hpp"

using namespace critsec;
using namespace critsec::checker;

namespace {

const PropertyResult* find_result(const std::vector<PropertyResult>& results, PropertyKind kind, const std::string& name = "") {
    for (const auto& r : results)
        if (r.kind == kind && (name.empty() || r.name == name)) return &r;
    return nullptr;
}

// model::simulate with main's randint draws fixed (children draw their range's low end).
model::SimulationResult simulate_fixed(const model::Program& program, uint64_t seed, const std::vector<int64_t>& inputs) {
    model::SimulationResult result{model::MemoryWorld(program, model::machine_cpu_count()), false, {}};
    model::MemoryWorld& world = result.world;
    std::mt19937_64 rng(seed);
    model::DrawSource draws = [&](int instance, int index, int64_t low, int64_t high) {
        if (instance == 0 && index < static_cast<int>(inputs.size())) return std::clamp(inputs[index], low, high);
        return std::uniform_int_distribution<int64_t>(low, high)(rng);
    };
    for (int step = 0; step < 10000; ++step) {
        std::vector<size_t> live;
        for (size_t i = 0; i < world.processes.size(); ++i) {
            model::run_locals(program, world.processes[i], world, draws);
            if (!world.processes[i].finished) live.push_back(i);
        }
        if (live.empty()) return result;
        std::shuffle(live.begin(), live.end(), rng);
        bool moved = false;
        for (size_t i : live) {
            model::ProcessState state = world.processes[i];
            if (model::execute_step(program, state, world) == model::StepResult::Blocked) continue;
            world.processes[i] = std::move(state);
            moved = true;
            break;
        }
        if (!moved) break;
    }
    result.deadlock = true;
    return result;
}

// The explorer's outcome in the Z3 engine's terms: Z3 states final shared
// state and failures; what main prints and who is left blocked are the explorer's extras.
std::string without_explorer_extras(const std::string& text) {
    std::string out, line;
    std::istringstream in(text);
    while (std::getline(in, line))
        if (line.rfind("main prints: ", 0) != 0 && line.rfind("deadlock: ", 0) != 0) out += line + "\n";
    return out;
}

// Two independent oracles over the same model: where the explorer decides a
// property, Z3 must decide it the same way, and both must enumerate the same outcomes.
void engines_agree(const model::Program& program, const std::vector<PropertyResult>& z3_results, const std::set<std::string>& z3_outcomes,
                   const std::vector<int64_t>& inputs) {
    ExplorerCheck explored = check_with_explorer(program, {});
    for (const auto& e : explored.properties) {
        if (e.verdict != Verdict::Proved && e.verdict != Verdict::Violated) continue;
        auto z = std::find_if(z3_results.begin(), z3_results.end(), [&](const PropertyResult& r) { return r.key == e.key; });
        if (z == z3_results.end()) continue;  // a watch: the explorer's alone
        INFO(e.key << ": explorer " << verdict_name(e.verdict) << " (" << e.detail << "), z3 " << verdict_name(z->verdict) << " ("
                   << z->detail << ")");
        CHECK(z->verdict == e.verdict);
    }
    OutcomeSettings settings;
    settings.options.fixed_inputs = inputs;
    OutcomeReport report = enumerate_outcomes(program, settings);
    REQUIRE(report.complete);
    std::set<std::string> explorer_outcomes;
    for (const auto& o : report.outcomes) explorer_outcomes.insert(without_explorer_extras(o.text));
    std::string z3_list, explorer_list;
    for (const auto& t : z3_outcomes) z3_list += t + "----\n";
    for (const auto& t : explorer_outcomes) explorer_list += t + "----\n";
    INFO("z3 outcomes:\n" << z3_list << "explorer outcomes:\n" << explorer_list);
    CHECK(explorer_outcomes == z3_outcomes);
}

struct Agreement {
    int outcomes = 0;
    int runs_checked = 0;
};

// Random runs must stay inside what Z3 predicts.
// Outcomes are compared under fixed inputs for main's draws; verdicts are over every input.
Agreement agree(const model::Program& program, int runs, const std::string& label, const std::vector<int64_t>& inputs) {
    CheckOptions options;
    options.timeout_seconds = 600;  // a budget against hangs, not a time limit: a loaded CI machine is slow
    auto results = check_with_z3(program, options);
    options.fixed_inputs = inputs;
    std::string incomplete;
    auto outcomes = outcomes_with_z3(program, options, &incomplete);
    INFO(label);
    REQUIRE(incomplete == "");
    std::set<std::string> predicted;
    for (const auto& o : outcomes) predicted.insert(o.text);
    std::string listing;
    for (const auto& r : results) listing += fmt::format("{}: {} {}\n", r.name, verdict_name(r.verdict), r.detail);
    INFO(listing);
    for (const auto& r : results) {
        CHECK(r.verdict != Verdict::Unknown);
        CHECK(r.verdict != Verdict::Bounded);
    }
    engines_agree(program, results, predicted, inputs);
    Agreement a;
    a.outcomes = static_cast<int>(outcomes.size());
    for (int seed = 0; seed < runs; ++seed) {
        auto sim = simulate_fixed(program, seed, inputs);
        std::string text = sim.world.outcome_text();
        INFO("seed " << seed << " reached:\n" << text);
        CHECK(predicted.count(text) == 1);
        if (sim.deadlock) CHECK(find_result(results, PropertyKind::Deadlock)->verdict == Verdict::Violated);
        for (const auto& p : sim.world.processes) {
            if (p.error.empty()) continue;
            const auto& code = model::template_of(program, p).code;
            const auto* as = p.pc < static_cast<int>(code.size()) ? std::get_if<model::AssertStep>(&code[p.pc].node) : nullptr;
            if (as && p.error.rfind("AssertionError", 0) == 0) {
                std::string name = fmt::format("assert at line {}", program.asserts.at(as->assert_id).loc.line);
                CHECK(find_result(results, PropertyKind::Assert, name)->verdict == Verdict::Violated);
            } else {
                CHECK(find_result(results, PropertyKind::RuntimeError)->verdict == Verdict::Violated);
            }
        }
        ++a.runs_checked;
    }
    // And every predicted outcome comes with a witness that reached it.
    for (const auto& o : outcomes) CHECK_FALSE(o.witness.steps.empty());
    return a;
}

}  // namespace

TEST_CASE("z3 differential: random runs of the tutorial specs stay inside the predicted outcomes", "[z3][differential]") {
    for (const char* name : {"01_worker.crit", "03_join.crit", "03b_start_join_serial.crit", "04_functions.crit", "06_global_var.crit",
                             "08_array.crit", "11_semaphore.crit"}) {
        model::Program program = test::compile_ok(test::tutorial_spec(name));
        agree(program, 40, name, {3, 1, 4, 1, 5, 9, 2, 6, 5, 3});
    }
}

TEST_CASE("z3 differential: random runs of 07 with fixed inputs reach only predicted totals", "[z3][differential]") {
    model::Program program = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    CheckOptions options;
    options.fixed_inputs = std::vector<int64_t>{1, 1, 1, 2, 1, 4, 1, 8, 8, 9};
    std::string incomplete;
    auto outcomes = outcomes_with_z3(program, options, &incomplete);
    REQUIRE(incomplete == "");
    std::set<std::string> predicted;
    for (const auto& o : outcomes) predicted.insert(o.text);
    // 2, 3, 5, 9, 17: every non-empty subset sum, 25 distinct values (2 + 3 = 5, ...).
    CHECK(predicted.size() == 25);
    int serial = 0;
    for (const auto& o : outcomes) serial += o.serial;
    CHECK(serial == 1);
    for (int seed = 0; seed < 100; ++seed) {
        auto sim = simulate_fixed(program, seed, *options.fixed_inputs);
        INFO(sim.world.outcome_text());
        CHECK(predicted.count(sim.world.outcome_text()) == 1);
    }
}

TEST_CASE("z3 differential: 200 generated specs agree with random runs", "[z3][differential]") {
    test::SpecGenerator gen(20240601);
    const int wanted = test::generated_cases(200);
    int compiled = 0, attempts = 0, outcomes = 0;
    while (compiled < wanted && attempts < 2 * wanted) {
        ++attempts;
        std::string text = gen.next();
        Compiled c = compile_source("generated.crit", text);
        INFO(text << "\n" << render_all(c.source, c.diagnostics));
        REQUIRE(c.program.has_value());
        ++compiled;
        std::vector<int64_t> inputs{static_cast<int64_t>(attempts % 2), static_cast<int64_t>((attempts / 2) % 2), 1};
        outcomes += agree(*c.program, 20, text, inputs).outcomes;
    }
    CHECK(compiled >= wanted);
    CHECK(outcomes > compiled);
}

// Conditional expressions: only the side picked reads; the generator's first stream
// with them found Z3 pairing a store with a load on the side not taken.
TEST_CASE("z3 differential: 40 generated specs with conditional expressions agree with random runs", "[z3][differential]") {
    test::SpecGenerator gen(777, test::SpecGenerator::Loops::Without, test::SpecGenerator::Conditionals::With);
    const int wanted = test::generated_cases(40);
    for (int i = 0; i < wanted; ++i) {
        std::string text = gen.next();
        Compiled c = compile_source("generated.crit", text);
        INFO(text << "\n" << render_all(c.source, c.diagnostics));
        REQUIRE(c.program.has_value());
        agree(*c.program, 20, text, {static_cast<int64_t>(i % 2), static_cast<int64_t>((i / 2) % 2), 1});
    }
}

// Loops: the Z3 engine unrolls each `while` to the bound, the explorer searches
// the state graph with iterations uncounted. Where a path was cut, Z3 may know
// less (BOUNDED, some outcomes missing) but never something else: its VIOLATED
// (a replayed witness) is the explorer's, the explorer's PROVED is never Z3's
// VIOLATED, and every outcome Z3 finds the explorer finds. Where nothing was
// cut, the two agree exactly.
TEST_CASE("z3 differential: generated specs with while loops: Z3 never contradicts the explorer", "[z3][differential][loops]") {
    test::SpecGenerator gen(5150, test::SpecGenerator::Loops::With);
    const int wanted = test::generated_cases(60);
    int cut = 0, exact = 0, violated = 0;
    for (int n = 0; n < wanted; ++n) {
        std::string text = gen.next();
        INFO("spec " << n << ":\n" << text);
        model::Program program = test::compile_text_ok(text);
        CheckOptions options;
        options.timeout_seconds = 600;  // against hangs only
        options.bound = 4;              // unrolled 8 times, the loops of two processes can outgrow the encoding's cap
        auto z3_results = check_with_z3(program, options);
        ExplorerCheck explored = check_with_explorer(program, {});
        for (const auto& z : z3_results) {
            auto e = std::find_if(explored.properties.begin(), explored.properties.end(),
                                  [&](const PropertyResult& r) { return r.key == z.key; });
            REQUIRE(e != explored.properties.end());
            INFO(z.key << ": z3 " << verdict_name(z.verdict) << " (" << z.detail << "), explorer " << verdict_name(e->verdict) << " ("
                       << e->detail << ")");
            CHECK(z.verdict != Verdict::Unknown);
            if (z.verdict == Verdict::Violated) CHECK(e->verdict == Verdict::Violated);
            if (e->verdict == Verdict::Proved) CHECK(z.verdict != Verdict::Violated);
            if (z.verdict == Verdict::Proved) CHECK(e->verdict == Verdict::Proved);
            violated += z.verdict == Verdict::Violated;
        }

        std::vector<int64_t> inputs{n % 2, 1, 1};
        options.fixed_inputs = inputs;
        std::string incomplete;
        std::set<std::string> z3_outcomes;
        for (const auto& o : outcomes_with_z3(program, options, &incomplete)) z3_outcomes.insert(o.text);
        OutcomeSettings settings;
        settings.options.fixed_inputs = inputs;
        OutcomeReport report = enumerate_outcomes(program, settings);
        REQUIRE(report.complete);
        std::set<std::string> explorer_outcomes;
        for (const auto& o : report.outcomes)
            if (o.text.find("livelock: ") == std::string::npos) explorer_outcomes.insert(without_explorer_extras(o.text));
        std::string z3_list, explorer_list;
        for (const auto& t : z3_outcomes) z3_list += t + "----\n";
        for (const auto& t : explorer_outcomes) explorer_list += t + "----\n";
        INFO("z3 outcomes (" << (incomplete.empty() ? "complete" : incomplete) << "):\n"
                             << z3_list << "explorer outcomes:\n"
                             << explorer_list);
        CHECK(std::includes(explorer_outcomes.begin(), explorer_outcomes.end(), z3_outcomes.begin(), z3_outcomes.end()));
        if (incomplete.empty()) {
            CHECK(z3_outcomes == explorer_outcomes);
            ++exact;
        } else {
            ++cut;
        }
    }
    // Both kinds were met, and some loop spec was found broken.
    CHECK(cut > 0);
    CHECK(exact > 0);
    CHECK(violated > 0);
}

// A store computed from a load of another object, or from a load on the side of a
// conditional expression not taken, has no lost update when another process writes
// its cell: Z3 paired such loads with the store (found by the generator once
// conditional expressions joined it).
TEST_CASE("z3 differential: a store computed from another object's load, or a branch not taken, loses nothing", "[z3][differential]") {
    for (const char* body : {"    w.value = a if v.value > a else w.value + 1\n", "    w.value = v.value + a\n"}) {
        model::Program program = test::compile_text_ok(std::string("v = Value(\"i\", 100)\nw = Value(\"i\", 0)\n\nprocess P(a):\n") + body +
                                                       "\nmain:\n    p = P(1)\n    q = P(0)\n    p.start()\n    q.start()\n"
                                                       "    p.join()\n    q.join()\n");
        INFO(body);
        for (const auto& r : check_with_z3(program, CheckOptions{}))
            if (r.kind == PropertyKind::LostUpdate) CHECK(r.verdict == Verdict::Proved);
        agree(program, 20, body, {});
    }
}
