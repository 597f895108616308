// What `critsec run` says the runs did not show (compare/unseen_violations.hpp):
// the checker's violations that no run in the histogram violated.
#include <catch2/catch.hpp>

#include "compare/unseen_violations.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;

namespace {

std::vector<std::string> keys_unseen(const model::Program& program, const runtime::Histogram& runs) {
    checker::Budget budget(10, 1024, false);
    std::vector<std::string> keys;
    for (const auto& u : compare::unseen_violations(program, runs, budget)) keys.push_back(u.key);
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

TEST_CASE("runs that all passed 07's assert are told that an interleaving breaks it", "[compare]") {
    model::Program p = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    runtime::Histogram runs;
    for (int i = 0; i < 5; ++i) runs.add(run_with(runtime::RunStatus::Ok), i);
    CHECK(keys_unseen(p, runs) == std::vector<std::string>{"assert@37"});
}

TEST_CASE("once a run broke the assert, it is not among the unseen", "[compare]") {
    model::Program p = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    REQUIRE(p.asserts.size() == 1);
    runtime::Histogram runs;
    runs.add(run_with(runtime::RunStatus::Ok), 0);
    runs.add(run_with(runtime::RunStatus::Error, {0}), 1);
    CHECK(keys_unseen(p, runs).empty());
}

TEST_CASE("a deadlock no run hit is named; a run that deadlocked clears it", "[compare]") {
    model::Program p = test::compile_ok(test::source_path("specs/coursework/two_lock_deadlock.crit"));
    runtime::Histogram runs;
    runs.add(run_with(runtime::RunStatus::Ok), 0);
    CHECK(keys_unseen(p, runs) == std::vector<std::string>{"deadlock"});
    runs.add(run_with(runtime::RunStatus::Deadlock), 1);
    CHECK(keys_unseen(p, runs).empty());
}

TEST_CASE("a correct spec has nothing unseen", "[compare]") {
    model::Program p = test::compile_ok(test::tutorial_spec("10_lock.crit"));
    runtime::Histogram runs;
    runs.add(run_with(runtime::RunStatus::Ok), 0);
    CHECK(keys_unseen(p, runs).empty());
}
