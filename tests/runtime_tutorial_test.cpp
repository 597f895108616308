// Every tutorial spec executed for real (fork, shared memory, real files), and
// what must hold in every run of it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "runtime/event_log.hpp"
#include "tests/runtime_test_support.hpp"
#include "tests/test_scale.hpp"

using namespace critsec;
using namespace critsec::runtime;

namespace {
bool lost_update(const RunResult& r) { return !r.failed_asserts.empty(); }

std::string output_of(const RunResult& r, int instance) {
    std::string out;
    for (const auto& line : r.output)
        if (line.instance == instance) out += line.text + "\n";
    return out;
}
}  // namespace

TEST_CASE("every tutorial spec runs for real and ends well", "[runtime]") {
    for (const char* name :
         {"01_worker.crit", "02_launch_five.crit", "03_join.crit", "03b_start_join_serial.crit", "04_functions.crit", "05_adder_class.crit",
          "06_global_var.crit", "08_array.crit", "10_lock.crit", "11_semaphore.crit", "11b_semaphore_four.crit"}) {
        model::Program p = test::compile_ok(test::tutorial_spec(name));
        for (const auto& r : test::run_many(p, 5, test::fast_options(PerturbMode::Random))) {
            INFO(name << ": " << r.outcome());
            CHECK(r.status == RunStatus::Ok);
            CHECK(r.failed_asserts.empty());
        }
    }
    CHECK(test::children_in_proc().empty());
}

TEST_CASE("01: the worker prints `Worker: 1`", "[runtime]") {
    model::Program p = test::compile_ok(test::tutorial_spec("01_worker.crit"));
    auto runs = test::run_many(p, 3, test::fast_options());
    for (const auto& r : runs) {
        REQUIRE(r.output.size() == 1);
        CHECK(r.output[0].text == "Worker: 1");
        CHECK(r.output[0].instance == 1);
        CHECK(r.pids[1] != r.pids[0]);  // a real, separate process
    }
}

TEST_CASE("01: a run's trace numbers its rows, and each step as `show` and the checker's charts do", "[runtime]") {
    model::Program p = test::compile_ok(test::tutorial_spec("01_worker.crit"));
    auto runs = test::run_many(p, 1, test::fast_options());
    REQUIRE(runs.size() == 1);
    CHECK(render_sequence_chart(runs[0].log.events, runs[0].names) ==
          " row | main              | Worker#1\n"
          "-----------------------------------------------\n"
          "   1 | 1: start Worker#1 |\n"
          "   2 |                   | 1: print \"Worker: 1\"\n"
          "   3 | 2: join Worker#1  |\n");
}

TEST_CASE("10: with the Lock the total is the sum of the draws in every run", "[runtime]") {
    model::Program p = test::compile_ok(test::tutorial_spec("10_lock.crit"));
    for (auto mode : {PerturbMode::None, PerturbMode::Yield, PerturbMode::Random})
        for (const auto& r : test::run_many(p, test::repeated_runs(40), test::fast_options(mode))) {
            INFO(r.outcome());
            CHECK(r.status == RunStatus::Ok);
            CHECK_FALSE(lost_update(r));
        }
}

TEST_CASE("06: the parent always prints 0, each child its own sum", "[runtime]") {
    model::Program p = test::compile_ok(test::tutorial_spec("06_global_var.crit"));
    for (const auto& r : test::run_many(p, 10, test::fast_options(PerturbMode::Random))) {
        INFO(r.outcome());
        CHECK(r.status == RunStatus::Ok);
        REQUIRE(r.main_output.size() == 2);
        CHECK(r.main_output[1] == "  Promedio: 0 / 5 = 0.0");
    }
}

TEST_CASE("11: never more than 3 printers inside, from the event log", "[runtime]") {
    for (auto [name, bound] : {std::pair{"11_semaphore.crit", 3}, std::pair{"11b_semaphore_four.crit", 4}}) {
        model::Program p = test::compile_ok(test::tutorial_spec(name));
        int most = 0;
        for (const auto& r : test::run_many(p, 10, test::fast_options(PerturbMode::Random))) {
            REQUIRE(r.log.dropped == 0);
            int inside = 0;
            for (const auto& e : r.log.events) {
                if (e.what == "acquire semaphore") ++inside;
                if (e.what == "release semaphore") --inside;
                most = std::max(most, inside);
                CHECK(inside <= bound);
            }
        }
        INFO(name);
        CHECK(most >= 1);
    }
}

TEST_CASE("03b: start and join in one loop never overlap the children", "[runtime]") {
    model::Program p = test::compile_ok(test::tutorial_spec("03b_start_join_serial.crit"));
    for (const auto& r : test::run_many(p, 5, test::fast_options(PerturbMode::Random))) {
        int last = 0;
        for (const auto& e : r.log.events) {
            if (e.instance == 0) continue;
            CHECK(e.instance >= last);  // Task#k's steps all come before Task#k+1's
            last = e.instance;
        }
        CHECK(last == 5);
    }
}

TEST_CASE("07: perturbed runs show the lost update", "[runtime]") {
    // A race shows in some runs, never in a fixed number of them: on a loaded machine (or
    // under ASan, where a fork is slow enough for each child to finish before the next
    // starts) a batch can miss it. Batches of fresh seeds, both perturbations, run until
    // the lost update is seen; only a race that never shows in 2,000 runs fails.
    model::Program p = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    int lost = 0;
    for (int batch = 0; batch < 50 && lost == 0; ++batch) {
        auto mode = batch % 2 == 0 ? PerturbMode::Yield : PerturbMode::Random;
        for (const auto& r : test::run_many(p, 40, test::fast_options(mode), 7 + batch)) {
            if (lost_update(r)) {
                ++lost;
                CHECK(r.status == RunStatus::Error);
                CHECK(r.outcome().find("AssertionError: lost update") != std::string::npos);
            }
        }
    }
    CHECK(lost > 0);
}

TEST_CASE("09: perturbed runs of the file race produce a total other than the sum", "[runtime]") {
    model::Program p = test::compile_ok(test::tutorial_spec("09_file_race.crit"));
    std::map<std::string, int> outcomes;
    int garbage = 0;
    for (const auto& r : test::run_many(p, test::repeated_runs(300), test::fast_options(PerturbMode::Random))) {
        ++outcomes[r.outcome()];
        // main prints `Promedio: <total> / 5 = ...`; the correct total is the sum of the ten draws,
        // which the children print: the total differs whenever a write was lost or garbled.
        REQUIRE_FALSE(r.final_state.empty());
        if (r.status != RunStatus::Ok || r.final_state[0].find("file shared_total.txt") == std::string::npos) continue;
        int sum = 0;
        for (int i = 1; i <= 5; ++i) {
            std::string out = output_of(r, i);
            auto at = out.find(" = ");
            if (at != std::string::npos) sum += std::atoi(out.c_str() + at + 3);
        }
        if (r.final_state[0] != "file shared_total.txt = \"" + std::to_string(sum) + "\"") ++garbage;
    }
    CHECK(garbage > 0);
    CHECK(outcomes.size() > 1);
}
