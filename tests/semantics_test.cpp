// The step semantics, run against the in-memory world under random schedules.
#include <catch2/catch.hpp>

#include <set>

#include "model/memory_world.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;
using namespace critsec::model;

namespace {

std::set<std::string> outcomes_of(const Program& program, int runs) {
    std::set<std::string> seen;
    for (int seed = 0; seed < runs; ++seed) seen.insert(simulate(program, seed).world.outcome_text());
    return seen;
}

bool any_failed(const MemoryWorld& w) {
    for (const auto& p : w.processes)
        if (!p.error.empty()) return true;
    return false;
}

}  // namespace

TEST_CASE("every tutorial spec runs to completion under random schedules") {
    for (const char* name : {"01_worker.crit", "03_join.crit", "03b_start_join_serial.crit", "04_functions.crit", "05_adder_class.crit",
                             "06_global_var.crit", "08_array.crit", "10_lock.crit", "11_semaphore.crit"}) {
        Program p = test::compile_ok(test::tutorial_spec(name));
        for (int seed = 0; seed < 50; ++seed) {
            auto r = simulate(p, seed);
            INFO(name << " seed " << seed << "\n" << r.world.outcome_text());
            CHECK_FALSE(r.deadlock);
            CHECK_FALSE(any_failed(r.world));
        }
    }
}

TEST_CASE("01: the worker prints its number") {
    auto r = simulate(test::compile_ok(test::tutorial_spec("01_worker.crit")), 1);
    REQUIRE(r.world.output.size() == 1);
    CHECK(r.world.output[0].text == "Worker: 1");
    CHECK(r.world.output[0].instance == 1);
}

TEST_CASE("07: without a lock some schedule loses an update") {
    Program p = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    bool lost = false;
    for (int seed = 0; seed < 200 && !lost; ++seed) {
        auto r = simulate(p, seed);
        lost = r.world.processes[0].error.rfind("AssertionError: lost update", 0) == 0;
    }
    CHECK(lost);
}

TEST_CASE("10: with the lock the total is always the sum") {
    Program p = test::compile_ok(test::tutorial_spec("10_lock.crit"));
    for (int seed = 0; seed < 200; ++seed) CHECK(simulate(p, seed).world.processes[0].error.empty());
}

TEST_CASE("09: the file race produces garbage totals and int() failures") {
    Program p = test::compile_ok(test::tutorial_spec("09_file_race.crit"));
    bool int_failure = false, wrong_total = false;
    for (int seed = 0; seed < 2000; ++seed) {
        auto r = simulate(p, seed);
        for (const auto& proc : r.world.processes)
            if (proc.error.find("invalid literal for int()") != std::string::npos) int_failure = true;
        if (r.world.outcome_text().find("file shared_total.txt") != std::string::npos) wrong_total = true;
    }
    CHECK(int_failure);
    CHECK(wrong_total);
}

TEST_CASE("06: a child's write to a plain global is its own") {
    Program p = test::compile_ok(test::tutorial_spec("06_global_var.crit"));
    for (int seed = 0; seed < 50; ++seed) {
        auto r = simulate(p, seed);
        CHECK(r.world.processes[0].error.empty());
        CHECK(r.world.output.back().text.find("Promedio: 0 / 5 = 0.0") != std::string::npos);
    }
}

TEST_CASE("a two-lock cycle can deadlock") {
    Program p = test::compile_text_ok(R"(a = Lock()
b = Lock()

process Left():
    with a:
        with b:
            pass

process Right():
    with b:
        with a:
            pass

main:
    l = Left()
    r = Right()
    l.start()
    r.start()
    l.join()
    r.join()
)");
    bool deadlock = false;
    for (int seed = 0; seed < 200 && !deadlock; ++seed) deadlock = simulate(p, seed).deadlock;
    CHECK(deadlock);
}

TEST_CASE("Value typecodes wrap around as ctypes does") {
    Program p = test::compile_text_ok(R"(v = Value("b", 120)
u = Value("B", 250)

process Bump():
    v.value += 10
    u.value += 10

main:
    b = Bump()
    b.start()
    b.join()
    assert v.value == -126
    assert u.value == 4
)");
    auto r = simulate(p, 0);
    INFO(r.world.processes[0].error);
    CHECK(r.world.processes[0].error.empty());
}

TEST_CASE("int() follows CPython") {
    Program p = test::compile_text_ok(R"(main:
    assert int(" 42\n") == 42
    assert int("-1_000") == -1000
    assert int("+7") == 7
    x = int("7\0")
)");
    auto r = simulate(p, 0);
    CHECK(r.world.processes[0].error == "ValueError: invalid literal for int() with base 10: '7\\x00'");
}

TEST_CASE("a failing process releases what its `with` blocks hold") {
    Program p = test::compile_text_ok(R"(lock = Lock()

process Bad():
    with lock:
        x = int("oops")

process Good():
    with lock:
        print("got it")

main:
    b = Bad()
    b.start()
    b.join()
    g = Good()
    g.start()
    g.join()
)");
    auto r = simulate(p, 0);
    CHECK_FALSE(r.deadlock);
    REQUIRE(r.world.output.size() == 1);
    CHECK(r.world.output[0].text == "got it");
}
