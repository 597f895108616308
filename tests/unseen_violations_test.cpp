// What `critsec run` says the runs did not show (compare/unseen_violations.hpp):
// the checker's violations that no run in the histogram violated.
#include <catch2/catch.hpp>

#include <algorithm>

#include "compare/run_coverage.hpp"
#include "compare/unseen_violations.hpp"
#include "tests/runtime_test_support.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;

namespace {

std::vector<std::string> keys_unseen(const model::Program& program, const std::vector<runtime::RunResult>& results) {
    checker::Budget budget(10, 1024, false);
    runtime::Histogram runs;
    compare::RunObservations observed(program);
    for (size_t i = 0; i < results.size(); ++i) {
        runs.add(results[i], i);
        observed.add(results[i], i);
    }
    std::vector<std::string> keys;
    for (const auto& u : compare::unseen_violations(program, runs, observed, budget)) keys.push_back(u.key);
    return keys;
}

runtime::RunResult run_with(runtime::RunStatus status, std::set<int> failed_asserts = {}) {
    runtime::RunResult r;
    r.status = status;
    r.failed_asserts = std::move(failed_asserts);
    r.final_state = {"total.value = 1"};
    return r;
}

}  // namespace

// (These runs have no event log: none of them shows a lost update.)
TEST_CASE("runs that all passed 07's assert are told that an interleaving breaks it and loses an update", "[compare]") {
    model::Program p = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    std::vector<runtime::RunResult> runs(5, run_with(runtime::RunStatus::Ok));
    CHECK(keys_unseen(p, runs) == std::vector<std::string>{"assert@37", "lost-update"});
}

TEST_CASE("a real run whose log shows a lost update clears it from the unseen", "[compare]") {
    model::Program p = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    // Yielding before every step, nearly every run of 07 loses an update (98% in bench/RESULTS.md).
    std::vector<runtime::RunResult> runs = test::run_many(p, 20, test::fast_options(runtime::PerturbMode::Yield));
    compare::RunObservations observed(p);
    for (size_t i = 0; i < runs.size(); ++i) observed.add(runs[i], i);
    REQUIRE(observed.lost_update_seen() == std::optional<bool>(true));
    std::vector<std::string> keys = keys_unseen(p, runs);
    CHECK(std::find(keys.begin(), keys.end(), "lost-update") == keys.end());
}

TEST_CASE("a spec with no read-modify-write has no lost update to look for", "[compare]") {
    model::Program p = test::compile_ok(test::tutorial_spec("01_worker.crit"));
    compare::RunObservations observed(p);
    CHECK_FALSE(observed.lost_update_seen().has_value());
}

TEST_CASE("run's coverage counts the predicted outcomes the runs showed, when every run had the same inputs", "[compare]") {
    model::Program p = test::compile_ok(test::source_path("specs/coursework/bank_nolock.crit"));
    checker::Budget budget(10, 1024, false);
    compare::RunObservations observed(p);
    std::vector<runtime::RunResult> runs = test::run_many(p, 3, test::fast_options());
    for (size_t i = 0; i < runs.size(); ++i) observed.add(runs[i], i);
    std::optional<compare::RunCoverage> c = compare::run_coverage(p, observed, budget);
    REQUIRE(c);
    CHECK(c->predicted == 3);
    CHECK(c->seen >= 1);
    CHECK(c->seen <= observed.outcomes().size());

    // 07 draws its inputs in main: each run has its own, and no line is given.
    model::Program seven = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    compare::RunObservations drawn(seven);
    std::vector<runtime::RunResult> seven_runs = test::run_many(seven, 2, test::fast_options());
    for (size_t i = 0; i < seven_runs.size(); ++i) drawn.add(seven_runs[i], i);
    if (seven_runs[0].inputs != seven_runs[1].inputs) CHECK_FALSE(compare::run_coverage(seven, drawn, budget));
}

TEST_CASE("once a run broke the assert, it is not among the unseen", "[compare]") {
    model::Program p = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    REQUIRE(p.asserts.size() == 1);
    std::vector<runtime::RunResult> runs{run_with(runtime::RunStatus::Ok), run_with(runtime::RunStatus::Error, {0})};
    CHECK(keys_unseen(p, runs) == std::vector<std::string>{"lost-update"});
}

TEST_CASE("a deadlock no run hit is named, and a run that deadlocked clears it", "[compare]") {
    model::Program p = test::compile_ok(test::source_path("specs/coursework/two_lock_deadlock.crit"));
    std::vector<runtime::RunResult> runs{run_with(runtime::RunStatus::Ok)};
    CHECK(keys_unseen(p, runs) == std::vector<std::string>{"deadlock"});
    runs.push_back(run_with(runtime::RunStatus::Deadlock));
    CHECK(keys_unseen(p, runs).empty());
}

TEST_CASE("a correct spec has nothing unseen", "[compare]") {
    model::Program p = test::compile_ok(test::tutorial_spec("10_lock.crit"));
    CHECK(keys_unseen(p, {run_with(runtime::RunStatus::Ok)}).empty());
}
