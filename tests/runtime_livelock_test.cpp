// A spin that nothing will ever release is an outcome, `livelock`, not a run cut
// at --max-run-time; a spin that is released, a loop that counts, a sleeper and a
// private computation never are one. The spins of these tests are real: fork()ed
// processes re-reading shared memory.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>

#include "compare/observed_outcome.hpp"
#include "runtime/litmus_executor.hpp"
#include "tests/command_output.hpp"
#include "tests/runtime_test_support.hpp"

using namespace critsec;
using namespace critsec::runtime;

namespace {

// Line 4 is the `while`.
const char* kNeverReleased = R"(ready = Value("i", 0)

process Waiter():
    while ready.value == 0:
        pass

main:
    w = Waiter()
    w.start()
    w.join()
)";

const char* kReleased = R"(ready = Value("i", 0)

process Waiter():
    while ready.value == 0:
        pass

process Setter(nap):
    sleep(nap)
    ready.value = 1

main:
    w = Waiter()
    s = Setter(randint(0, 1))
    w.start()
    s.start()
    w.join()
    s.join()
)";

const char* kPeterson = R"(flag = Array("i", [0, 0])
turn = Value("i", 0)
total = Value("i", 0)

process Worker(me, other, x):
    for r in range(20):
        flag[me] = 1
        turn.value = other
        while flag[other] == 1 and turn.value == other:
            pass
        total.value += x
        flag[me] = 0

main:
    a = Worker(0, 1, 3)
    b = Worker(1, 0, 4)
    a.start()
    b.start()
    a.join()
    b.join()
    assert total.value == 140, "lost update"
)";

// Counts until told to stop: every round writes a new value, so it never spins.
const char* kCounter = R"(stop = Value("i", 0)
n = Value("i", 0)

process Counter():
    while stop.value == 0:
        n.value += 1

process Stopper():
    sleep(1)
    stop.value = 1

main:
    c = Counter()
    s = Stopper()
    c.start()
    s.start()
    c.join()
    s.join()
)";

// The Setter computes privately (a million local iterations, no step) before it sets.
const char* kPrivateWork = R"(ready = Value("i", 0)

process Waiter():
    while ready.value == 0:
        pass

process Setter():
    x = 0
    for i in range(1000):
        for j in range(1000):
            x += j
    ready.value = 1

main:
    w = Waiter()
    s = Setter()
    w.start()
    s.start()
    w.join()
    s.join()
)";

// Holder takes the lock, says so, and spins; Taker waits for the lock; a second
// spinner waits on the same flag. main waits for Holder's word before it starts them.
const char* kSpinnersAndBlocked = R"(ready = Value("i", 0)
got = Value("i", 0)
lock = Lock()

process Holder():
    lock.acquire()
    got.value = 1
    while ready.value == 0:
        pass

process Taker():
    with lock:
        ready.value = 1

process Looker():
    while ready.value == 0:
        pass

main:
    h = Holder()
    h.start()
    while got.value == 0:
        pass
    t = Taker()
    k = Looker()
    t.start()
    k.start()
    t.join()
)";

// main itself spins: line 3.
const char* kMainSpins = R"(ready = Value("i", 0)
main:
    while ready.value == 0:
        pass
)";

RunOptions livelock_options(double window) {
    RunOptions o = test::fast_options();
    o.livelock_seconds = window;
    o.no_progress_timeout = 30;
    o.max_run_seconds = 120;  // a hang guard only
    return o;
}

}  // namespace

TEST_CASE("a spin-wait nobody releases ends as `livelock`, naming the spinner, its line and what it re-reads", "[runtime][livelock]") {
    model::Program p = test::compile_text_ok(kNeverReleased);
    RunOptions o = livelock_options(1);
    for (const auto& r : test::run_many(p, 2, o)) {
        INFO(r.outcome());
        CHECK(r.status == RunStatus::Livelock);
        CHECK(r.outcome() ==
              "livelock: Waiter#1 spins at line 4 (re-reads ready.value = 0, nothing changed for 1 s); main joins Waiter#1 | ready.value = "
              "0");
        CHECK(r.spinning == std::vector<std::string>{"Waiter#1"});
        CHECK(compare::has_outcome(r));
        CHECK(compare::observed_outcome_text(p, r) == "ready.value = 0\nlivelock: Waiter#1 spinning; main blocked\n");
    }
    CHECK(test::children_in_proc().empty());
}

TEST_CASE("the same spin in litmus mode (reused workers) is a livelock too", "[runtime][livelock]") {
    model::Program p = test::compile_text_ok(kNeverReleased);
    RunOptions o = livelock_options(0.2);
    LitmusExecutor executor(p, o);
    for (int i = 0; i < 2; ++i) {
        RunResult r = executor.run(run_seed(7, static_cast<uint64_t>(i)));
        INFO(r.outcome());
        CHECK(r.status == RunStatus::Livelock);
        CHECK(r.outcome().find("Waiter#1 spins at line 4 (re-reads ready.value = 0, nothing changed for 0.2 s)") != std::string::npos);
    }
}

TEST_CASE("spinners and a process blocked behind one of them: every spinner named, the blocked one too", "[runtime][livelock]") {
    model::Program p = test::compile_text_ok(kSpinnersAndBlocked);
    for (const auto& r : test::run_many(p, 2, livelock_options(0.2))) {
        INFO(r.outcome());
        CHECK(r.status == RunStatus::Livelock);
        CHECK(r.outcome().find("Holder#1 spins at line 8 (re-reads ready.value = 0, nothing changed for 0.2 s)") != std::string::npos);
        CHECK(r.outcome().find("Looker#1 spins at line 16 (re-reads ready.value = 0, nothing changed for 0.2 s)") != std::string::npos);
        CHECK(r.outcome().find("main joins Taker#1") != std::string::npos);
        CHECK(r.outcome().find("Taker#1 waits for lock (held by Holder#1)") != std::string::npos);
        CHECK(r.spinning == std::vector<std::string>{"Holder#1", "Looker#1"});
        CHECK(compare::observed_outcome_text(p, r).find("livelock: Holder#1, Looker#1 spinning; main, Taker#1 blocked\n") !=
              std::string::npos);
    }
    CHECK(test::children_in_proc().empty());
}

TEST_CASE("main spinning alone is a livelock", "[runtime][livelock]") {
    model::Program p = test::compile_text_ok(kMainSpins);
    for (const auto& r : test::run_many(p, 2, livelock_options(0.2))) {
        INFO(r.outcome());
        CHECK(r.status == RunStatus::Livelock);
        CHECK(r.outcome() == "livelock: main spins at line 3 (re-reads ready.value = 0, nothing changed for 0.2 s) | ready.value = 0");
        CHECK(compare::observed_outcome_text(p, r) == "ready.value = 0\nlivelock: main spinning\n");
    }
}

// The windows below are 1 ms: what keeps these runs from being called livelocks is
// the spin's proof (nothing changed while a state came back), not the time waited.
TEST_CASE("a spin-wait that is released, at once or after a sleep, is never a livelock", "[runtime][livelock]") {
    model::Program p = test::compile_text_ok(kReleased);
    RunOptions o = livelock_options(0.001);
    o.time_scale = 0.02;  // the Setter sleeps 0 or 20 ms
    for (auto perturb : {PerturbMode::None, PerturbMode::Random}) {
        o.perturb = perturb;
        for (const auto& r : test::run_many(p, 100, o)) {
            INFO(r.outcome());
            CHECK(r.status == RunStatus::Ok);
            CHECK(r.outcome() == "ready.value = 1");
        }
    }
}

TEST_CASE("Peterson's lock, whose waits always end, is never a livelock", "[runtime][livelock]") {
    model::Program p = test::compile_text_ok(kPeterson);
    RunOptions o = livelock_options(0.001);
    for (auto perturb : {PerturbMode::None, PerturbMode::Random}) {
        o.perturb = perturb;
        for (const auto& r : test::run_many(p, 100, o)) {
            INFO(r.outcome());
            CHECK(r.status == RunStatus::Ok);
            CHECK(r.outcome().find("total.value = 140") != std::string::npos);
        }
    }
}

TEST_CASE("a loop that counts until another process stops it is not a livelock", "[runtime][livelock]") {
    model::Program p = test::compile_text_ok(kCounter);
    RunOptions o = livelock_options(0.001);
    o.time_scale = 0.2;  // the Stopper sleeps 200 ms while the Counter counts
    for (const auto& r : test::run_many(p, 3, o)) {
        INFO(r.outcome());
        CHECK(r.status == RunStatus::Ok);
        CHECK(r.outcome().find("stop.value = 1") != std::string::npos);
    }
}

TEST_CASE("a private computation (no step) is not a spin: the spinner waiting for it is not cut", "[runtime][livelock]") {
    model::Program p = test::compile_text_ok(kPrivateWork);
    for (const auto& r : test::run_many(p, 3, livelock_options(0.001))) {
        INFO(r.outcome());
        CHECK(r.status == RunStatus::Ok);
        CHECK(r.outcome() == "ready.value = 1");
    }
}

TEST_CASE("with no livelock window a spin runs until --max-run-time", "[runtime][livelock]") {
    model::Program p = test::compile_text_ok(kNeverReleased);
    RunOptions o = livelock_options(0);
    o.max_run_seconds = 0.3;
    auto runs = test::run_many(p, 1, o);
    INFO(runs[0].outcome());
    CHECK(runs[0].status == RunStatus::Timeout);
}

TEST_CASE("`critsec run` of a spin nobody releases prints a histogram of livelocks and exits 1", "[runtime][livelock]") {
    test::PrivateTmpdir tmp;
    REQUIRE(tmp.made());
    std::string spec = std::string(std::getenv("TMPDIR")) + "/never.crit";
    std::ofstream(spec) << kNeverReleased;
    std::string command = std::string(CRITSEC_BINARY) + " run -n 2 " + spec;
    FILE* out = ::popen(command.c_str(), "r");
    REQUIRE(out != nullptr);
    std::string text;
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, out)) > 0;) text.append(buf, n);
    int status = ::pclose(out);
    INFO(text);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);  // like a deadlock: a property violated
    CHECK(text.find("2 !> livelock: Waiter#1 spins at line 4 (re-reads ready.value = 0, nothing changed for 1 s); main joins Waiter#1 | "
                    "ready.value = 0") != std::string::npos);
    CHECK(text.find("Runs ending in livelock: 2") != std::string::npos);
}

TEST_CASE("run and compare take the livelock window from --livelock-after, 0 to 600 s", "[runtime][livelock]") {
    test::PrivateTmpdir tmp;
    REQUIRE(tmp.made());
    std::string spec = std::string(std::getenv("TMPDIR")) + "/never.crit";
    std::ofstream(spec) << kNeverReleased;
    std::string critsec = std::string(CRITSEC_BINARY) + " ";
    test::CommandOutput run = test::command_output(critsec + "run -n 3 --livelock-after 0.05 " + spec);
    INFO(run.out);
    CHECK(run.status == 1);
    CHECK(run.out.find("3 !> livelock: Waiter#1 spins at line 4 (re-reads ready.value = 0, nothing changed for 0.05 s)") != std::string::npos);
    test::CommandOutput compare = test::command_output(critsec + "compare -n 3 --reuse --livelock-after 0.05 " + spec);
    INFO(compare.out);
    CHECK(compare.status == 0);  // the livelock is predicted
    CHECK(compare.out.find("coverage: 1/1 predicted outcomes observed") != std::string::npos);
    CHECK(test::command_output(critsec + "run -n 1 --livelock-after -1 " + spec + " 2>&1").status == 64);
    CHECK(test::command_output(critsec + "compare -n 1 --livelock-after 601 " + spec + " 2>&1").status == 64);
}
