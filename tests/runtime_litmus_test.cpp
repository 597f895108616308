// Litmus mode: processes forked once and reused between runs; the same step
// semantics, the same outcomes, state and files reset between runs.
#include <catch2/catch.hpp>

#include "runtime/litmus_executor.hpp"
#include "runtime/state_codec.hpp"
#include "tests/runtime_test_support.hpp"
#include "tests/test_scale.hpp"

using namespace critsec;
using namespace critsec::runtime;

namespace {
std::vector<RunResult> litmus_runs(const model::Program& p, int runs, const RunOptions& o, int* forks = nullptr) {
    LitmusExecutor e(p, o);
    std::vector<RunResult> out;
    for (int i = 0; i < runs; ++i) out.push_back(e.run(run_seed(3, i)));
    if (forks) *forks = e.workers_forked();
    return out;
}
}  // namespace

TEST_CASE("a start state survives the trip through the arena", "[runtime]") {
    model::ProcessState s;
    s.instance = 3;
    s.process = 1;
    s.label = "Adder#2";
    s.locals = {model::Value(int64_t{7}), model::Value(std::string("x\0y", 3)), model::Value(model::List{1, 2.5, true}), model::Value{}};
    s.globals = {model::Value(model::Pid{-1}), model::Value(model::ProcRef{2})};
    std::string bytes = encode_start_state(s);
    model::ProcessState t = decode_start_state(bytes.data(), bytes.size());
    CHECK(t.instance == 3);
    CHECK(t.process == 1);
    CHECK(t.label == "Adder#2");
    CHECK(t.locals == s.locals);
    CHECK(t.globals == s.globals);
    CHECK_THROWS(decode_start_state(bytes.data(), bytes.size() - 1));
}

TEST_CASE("litmus mode reuses its processes and keeps 10's total right", "[runtime]") {
    model::Program p = test::compile_ok(test::tutorial_spec("10_lock.crit"));
    int forks = 0;
    for (const auto& r : litmus_runs(p, test::repeated_runs(200), test::fast_options(PerturbMode::Random), &forks)) {
        INFO(r.outcome());
        CHECK(r.status == RunStatus::Ok);
        CHECK(r.failed_asserts.empty());
    }
    CHECK(forks == 5);  // one worker per Adder, for all the runs
    CHECK(test::children_in_proc().empty());
}

TEST_CASE("litmus mode resets files between runs", "[runtime]") {
    // Each run appends one "x": a file kept from the run before would read "xx", "xxx", ...
    model::Program p = test::compile_text_ok(
        "process Appender():\n"
        "    with open(\"log.txt\", \"a\") as f:\n"
        "        f.write(\"x\")\n"
        "main:\n"
        "    w = Appender()\n"
        "    w.start()\n"
        "    w.join()\n"
        "    with open(\"log.txt\", \"r\") as f:\n"
        "        print(f.read())\n");
    std::vector<RunResult> runs = litmus_runs(p, 20, test::fast_options());
    REQUIRE(runs.size() == 20);
    for (const auto& r : runs) {
        INFO(r.outcome());
        CHECK(r.status == RunStatus::Ok);
        CHECK(r.outcome().find("log.txt = \"x\"") != std::string::npos);
        CHECK(r.outcome().find("main printed \"x\"") != std::string::npos);
    }
}

TEST_CASE("litmus mode shows 09's garbage", "[runtime]") {
    model::Program p = test::compile_ok(test::tutorial_spec("09_file_race.crit"));
    std::set<std::string> outcomes;
    for (const auto& r : litmus_runs(p, 200, test::fast_options(PerturbMode::Random))) outcomes.insert(r.outcome());
    CHECK(outcomes.size() > 1);
}

TEST_CASE("litmus mode: deadlocked runs are killed and the workers forked again", "[runtime]") {
    model::Program p = test::compile_text_ok(test::kNeverReleased);
    int forks = 0;
    for (const auto& r : litmus_runs(p, 3, test::fast_options(), &forks)) CHECK(r.status == RunStatus::Deadlock);
    CHECK(forks == 6);
    CHECK(test::children_in_proc().empty());
}
