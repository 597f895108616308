// compare/replay_match: the judgement of a replay on hand-made runs, without
// forking (runtime_replay_test.cpp judges real ones).
#include <catch2/catch.hpp>

#include "compare/replay_match.hpp"

using namespace critsec;

namespace {

checker::TraceStep step(int instance, const std::string& process, const std::string& action) {
    checker::TraceStep s{};
    s.instance = instance;
    s.process = process;
    s.step = 1;
    s.line = 3;
    s.action = action;
    return s;
}

// A plan of two stores and a run that did them, ending as the model predicts.
struct Agreeing {
    checker::CompletedWitness plan;
    checker::ModelEnd predicted;
    runtime::RunResult real;
    Agreeing() {
        plan.witness.steps = {step(1, "Adder#1", "store total.value = 1"), step(2, "Adder#2", "store total.value = 1")};
        predicted.state = {"total.value = 1"};
        real.names = {"main", "Adder#1", "Adder#2"};
        real.final_state = {"total.value = 1"};
        real.log.events = {{0, 1, 4, "store total.value = 1"}, {1, 2, 4, "store total.value = 1"}};
    }
};

}  // namespace

TEST_CASE("replay match: a pid mark in a logged print is shown as the instance's name", "[replay]") {
    std::vector<std::string> names{"main", "Adder#1"};
    CHECK(compare::named_event_text("print 'I am \\x1e1\\x1f'", names) == "print 'I am Adder#1'");
    CHECK(compare::named_event_text("print '\\x1e7\\x1f'", names) == "print '\\x1e7\\x1f'");  // no such instance: kept
    CHECK(compare::named_event_text("print '\\x1e1'", names) == "print '\\x1e1'");            // unterminated: kept
}

TEST_CASE("replay match: a process's failure is a failure, the watchdog's reasons are not", "[replay]") {
    runtime::RunResult real;
    real.names = {"main", "Adder#1", "Adder#2"};
    real.problems = {"Adder#1: ValueError: x", "Adder#2 waits for a (held by Adder#1)", "Adder#2: still running", "main: died (signal 9)"};
    CHECK(compare::real_failures(real) == std::vector<std::string>{"Adder#1: ValueError: x"});
}

TEST_CASE("replay match: a run that did the predicted steps and ended as predicted agrees", "[replay]") {
    Agreeing r;
    CHECK(compare::match_replay(r.plan, r.predicted, r.real, 2).agreed());
}

TEST_CASE("replay match: each way of parting from the model is one difference", "[replay]") {
    Agreeing r;
    SECTION("a turn never taken") {
        auto m = compare::match_replay(r.plan, r.predicted, r.real, 1);
        REQUIRE(m.differences.size() == 1);
        CHECK(m.differences[0].find("took 1 of the 2 turns") != std::string::npos);
    }
    SECTION("another process's step") {
        r.real.log.events[1].instance = 1;
        auto m = compare::match_replay(r.plan, r.predicted, r.real, 2);
        REQUIRE(m.differences.size() == 1);
        CHECK(m.differences[0] == "step 2: the model has Adder#2 `store total.value = 1`, the real run Adder#1 `store total.value = 1`");
    }
    SECTION("another final state") {
        r.real.final_state = {"total.value = 2"};
        auto m = compare::match_replay(r.plan, r.predicted, r.real, 2);
        REQUIRE(m.differences.size() == 1);
        CHECK(m.differences[0].find("shared state") == 0);
    }
    SECTION("a deadlock the model does not have") {
        r.real.status = runtime::RunStatus::Deadlock;
        auto m = compare::match_replay(r.plan, r.predicted, r.real, 2);
        REQUIRE(m.differences.size() == 1);
        CHECK(m.differences[0].find("every process done") != std::string::npos);
    }
}

TEST_CASE("replay match: the violation as the run shows it, by the property's kind", "[replay]") {
    Agreeing r;
    CHECK(compare::shown_violation(std::nullopt, r.plan, r.real).empty());  // an outcome's witness: nothing to show
    CHECK(compare::shown_violation(checker::PropertyKind::LostUpdate, r.plan, r.real).empty());
    r.plan.witness.steps[1].lost_write = true;
    r.plan.witness.steps[1].note = "stale";
    CHECK(compare::shown_violation(checker::PropertyKind::LostUpdate, r.plan, r.real) ==
          "lost update: real step 2 (Adder#2 `store total.value = 1`) stale");
    CHECK(compare::shown_violation(checker::PropertyKind::Deadlock, r.plan, r.real).empty());
    r.real.status = runtime::RunStatus::Deadlock;
    r.real.problems = {"Adder#1 waits for a (held by Adder#2)"};
    CHECK(compare::shown_violation(checker::PropertyKind::Deadlock, r.plan, r.real) == "deadlock: Adder#1 waits for a (held by Adder#2)");
    CHECK(compare::shown_violation(checker::PropertyKind::Assert, r.plan, r.real).empty());
    r.real.problems.push_back("main: AssertionError: lost");
    CHECK(compare::shown_violation(checker::PropertyKind::Assert, r.plan, r.real) == "failed: main: AssertionError: lost");
}
