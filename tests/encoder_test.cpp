// The Z3 engine against the verdicts and outcomes the tutorial specs state.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>

#include "checker/symbolic/symbolic_session.hpp"
#include "model/expectations.hpp"
#include "model/frontend.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;
using namespace critsec::checker;

namespace {

struct Loaded {
    model::Program program;
    SpecExpectations expectations;
};

Loaded load(const std::string& name) {
    Compiled c = compile_file(test::tutorial_spec(name));
    INFO(render_all(c.source, c.diagnostics));
    REQUIRE(c.program.has_value());
    return {std::move(*c.program), parse_expectations(c.source)};
}

// The verdict of an expectation's property: `assert` is every assert together.
std::optional<std::string> verdict_for(const std::string& property, const model::Program& program,
                                       const std::vector<PropertyResult>& results) {
    auto rank = [](Verdict v) { return v == Verdict::Violated ? 3 : v == Verdict::Unknown ? 2 : v == Verdict::Bounded ? 1 : 0; };
    std::optional<Verdict> combined;
    for (const auto& r : results) {
        bool match = false;
        if (property == "assert") match = r.kind == PropertyKind::Assert;
        else if (property.rfind("assert@", 0) == 0)
            match = r.kind == PropertyKind::Assert && r.name == "assert at line " + property.substr(7);
        else if (property == "lost-update") match = r.kind == PropertyKind::LostUpdate;
        else if (property == "deadlock") match = r.kind == PropertyKind::Deadlock;
        else if (property == "runtime-error") match = r.kind == PropertyKind::RuntimeError;
        if (match && (!combined || rank(r.verdict) > rank(*combined))) combined = r.verdict;
    }
    if (!combined) return std::nullopt;
    return std::string(verdict_name(*combined));
}

void check_spec(const std::string& name) {
    Loaded l = load(name);
    CheckOptions options;
    options.timeout_seconds = 600;  // a budget against hangs, not a time limit: a loaded CI machine is slow
    auto results = check_with_z3(l.program, options);
    std::string report;
    for (const auto& r : results) report += fmt::format("{}: {} {}\n", r.name, verdict_name(r.verdict), r.detail);
    INFO(name << "\n" << report);
    for (const auto& r : results) CHECK_FALSE(r.detail.rfind("internal", 0) == 0);
    bool wants_outcomes = false;
    for (const auto& e : l.expectations.expectations) {
        if (e.kind == Expectation::Kind::Verdict) {
            INFO("expect " << e.property << ": " << e.verdict);
            auto got = verdict_for(e.property, l.program, results);
            REQUIRE(got.has_value());
            CHECK(*got == e.verdict);
        }
        if (e.kind == Expectation::Kind::OutcomeCount || e.kind == Expectation::Kind::Outcome || e.kind == Expectation::Kind::NoOutcome)
            wants_outcomes = true;
    }
    for (const auto& r : results)
        if (r.verdict == Verdict::Violated) {
            REQUIRE(r.witness.has_value());
            CHECK_FALSE(r.witness->steps.empty());
        }
    if (!wants_outcomes) return;
    if (l.expectations.fixed_inputs)
        options.fixed_inputs = std::vector<int64_t>(l.expectations.fixed_inputs->begin(), l.expectations.fixed_inputs->end());
    std::string incomplete;
    auto outcomes = outcomes_with_z3(l.program, options, &incomplete);
    CHECK(incomplete == "");
    std::string all;
    for (const auto& o : outcomes) all += o.text + "--\n";
    INFO(all);
    auto has_line = [&](const std::string& line) {
        return std::any_of(outcomes.begin(), outcomes.end(),
                           [&](const Outcome& o) { return ("\n" + o.text).find("\n" + line + "\n") != std::string::npos; });
    };
    for (const auto& e : l.expectations.expectations) {
        if (e.kind == Expectation::Kind::OutcomeCount) CHECK(static_cast<long>(outcomes.size()) == e.count);
        if (e.kind == Expectation::Kind::Outcome) CHECK(has_line(e.text));
        if (e.kind == Expectation::Kind::NoOutcome) CHECK_FALSE(has_line(e.text));
    }
}

}  // namespace

TEST_CASE("z3: every tutorial spec without files gets the verdicts it states", "[z3]") {
    for (const char* name :
         {"01_worker.crit", "02_launch_five.crit", "03_join.crit", "03b_start_join_serial.crit", "04_functions.crit", "05_adder_class.crit",
          "06_global_var.crit", "07_value_race.crit", "08_array.crit", "10_lock.crit", "11_semaphore.crit", "11b_semaphore_four.crit"}) {
        SECTION(name) { check_spec(name); }
    }
}
