// Counterexamples as a reader sees them (checker/witness/shortest_witness,
// involvement, violation): shortened and replayed, the steps the violation does
// not depend on marked and put after the rest, and each still a real execution
// that `replay --schedule` runs as it is.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "checker/engines.hpp"
#include "checker/explorer/replay.hpp"
#include "checker/witness/involvement.hpp"
#include "checker/witness/schedule_text.hpp"
#include "checker/witness/schedule_witness.hpp"
#include "checker/witness/shortest_witness.hpp"
#include "checker/witness/violation.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;
using namespace critsec::checker;

namespace {

const PropertyResult& property(const SpecCheck& check, const std::string& key) {
    auto it = std::find_if(check.properties.begin(), check.properties.end(), [&](const PropertyResult& p) { return p.key == key; });
    REQUIRE(it != check.properties.end());
    return *it;
}

// "Adder#1.1" for each step, `~` before one that is not involved.
std::vector<std::string> rows_of(const Witness& w) {
    std::vector<std::string> out;
    for (const auto& s : w.steps) out.push_back((s.involved ? "" : "~") + s.process + "." + std::to_string(s.step));
    return out;
}

SpecCheck checked(const model::Program& program) { return check_spec(program, ExplorerSettings{}, Engine::Explorer); }

}  // namespace

TEST_CASE("shortest witness: the bystanders' steps are not involved, and come after the race, just before main joins them") {
    model::Program program = test::compile_ok(test::source_path("specs/coursework/bystanders.crit"));
    SpecCheck check = checked(program);
    const PropertyResult& failed = property(check, "assert@35");
    REQUIRE(failed.verdict == Verdict::Violated);
    REQUIRE(failed.witness);
    CHECK(rows_of(*failed.witness) == std::vector<std::string>{"main.1", "main.2", "main.3", "main.4", "Adder#1.1", "Adder#2.1",
                                                               "Adder#2.2", "Adder#1.2", "main.5", "~Logger#1.1", "~Logger#2.1",
                                                               "main.6", "main.7", "main.8", "main.9", "main.10"});
    // The runtime error needs neither adder's steps, nor main's after the start of the logger that fails.
    const PropertyResult& error = property(check, "runtime-error");
    REQUIRE(error.witness);
    CHECK(rows_of(*error.witness) == std::vector<std::string>{"main.1", "main.2", "Logger#1.1"});
}

TEST_CASE("shortest witness: a counterexample is still a real execution, given back as a schedule line") {
    for (const char* spec : {"specs/coursework/bystanders.crit", "specs/tutorial/07_value_race.crit", "specs/coursework/two_lock_deadlock.crit"}) {
        INFO(spec);
        model::Program program = test::compile_ok(test::source_path(spec));
        PreparedProgram prepared = prepare(program);
        for (const auto& p : checked(program).properties) {
            if (p.verdict != Verdict::Violated || !p.witness) continue;
            INFO(p.name);
            ParsedSchedule parsed = parse_schedule(schedule_text(*p.witness));
            REQUIRE(parsed.diagnostics.empty());
            ScheduledWitness again = witness_of_schedule(prepared, parsed, p.witness->inputs);
            REQUIRE(again.witness);
            Replayed r = replay_witness(prepared, *again.witness);
            REQUIRE(r.ok);
            auto v = violation_shown(program, p, r);
            CHECK(v.has_value());
            CHECK(r.witness.steps.size() == p.witness->steps.size());
        }
    }
}

TEST_CASE("shortest witness: steps after the violation and a process it does not need are dropped") {
    model::Program program = test::compile_ok(test::source_path("specs/coursework/bystanders.crit"));
    PreparedProgram prepared = prepare(program);
    // main starts all four, each child moves, main joins them all: Logger#1 fails at the fourth row.
    Witness found;
    for (int instance : {0, 0, 0, 0, 1, 3, 4, 2, 1, 2, 0, 0, 0, 0, 0}) {
        TraceStep s{};
        s.instance = instance;
        found.steps.push_back(s);
    }
    PropertyResult error{PropertyKind::RuntimeError, "runtime error", Verdict::Violated, "", found, "runtime-error"};
    Replayed first = replay_witness(prepared, found);
    REQUIRE(first.ok);
    REQUIRE(violation_shown(program, error, first));
    Witness shortest = shortest_witness(prepared, error, found);
    CHECK(rows_of(shortest) == std::vector<std::string>{"main.1", "main.2", "Logger#1.1"});
}

TEST_CASE("involvement: reads-from, the overwritten write and program order are followed, joins and prints are not") {
    model::Program program = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    PreparedProgram prepared = prepare(program);
    ExplorerSettings settings;
    settings.options.fixed_inputs = std::vector<int64_t>{1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    SpecCheck check = check_spec(program, settings, Engine::Explorer);
    const PropertyResult& failed = property(check, "assert@37");
    REQUIRE(failed.witness);
    Replayed r = replay_witness(prepared, *failed.witness);
    auto v = violation_shown(program, failed, r);
    REQUIRE(v);
    std::vector<bool> involved = involved_rows(dependencies_of(r), violation_rows(program, *v, r));
    for (size_t i = 0; i < r.witness.steps.size(); ++i) {
        const TraceStep& s = r.witness.steps[i];
        INFO(i + 1 << " " << s.process << " " << s.action);
        CHECK(involved[i] == s.involved);
        // A child's store is read by the next load, or lost to a stale one: involved; its prints after are not.
        if (s.process != "main" && s.action.rfind("store", 0) == 0) CHECK(involved[i]);
        if (s.process != "main" && s.action.rfind("print", 0) == 0) CHECK_FALSE(involved[i]);
        if (s.process == "main") CHECK(involved[i]);
    }
}
