// Faults are outcomes, not hangs: deadlocks, failing and crashing children,
// refused specs, interruption; and nothing is ever left behind.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>

#include "runtime/litmus_executor.hpp"
#include "tests/runtime_test_support.hpp"

using namespace critsec;
using namespace critsec::runtime;

namespace {
const char* kTwoLocks = R"(
a = Lock()
b = Lock()

process AB():
    with a:
        sleep(1)
        with b:
            print("ab")

process BA():
    with b:
        sleep(1)
        with a:
            print("ba")

main:
    x = AB()
    y = BA()
    x.start()
    y.start()
    x.join()
    y.join()
)";

const char* kFailing = R"(
cells = Array("i", [0, 0])

process Bad(k):
    cells[k] = int("7x")

process Good():
    cells[1] = 5

main:
    b = Bad(0)
    g = Good()
    b.start()
    g.start()
    b.join()
    g.join()
)";

const char* kSleeper = R"(
total = Value("i", 0)

process Sleeper():
    sleep(30)
    total.value = 1

main:
    s = Sleeper()
    s.start()
    s.join()
)";

int pgid_of(int pid) {
    for (const auto& p : test::all_processes())
        if (p.pid == pid) return p.pgid;
    return -1;
}
}  // namespace

TEST_CASE("a two-lock deadlock is outcome `deadlock`, and leaves no process behind", "[runtime]") {
    model::Program p = test::compile_text_ok(kTwoLocks);
    RunOptions o = test::fast_options();
    o.time_scale = 0.05;
    int deadlocks = 0;
    for (const auto& r : test::run_many(p, 5, o)) {
        INFO(r.outcome());
        CHECK((r.status == RunStatus::Deadlock || r.status == RunStatus::Ok));
        if (r.status == RunStatus::Deadlock) {
            ++deadlocks;
            CHECK(r.outcome().find("AB#1 waits for b (held by BA#1)") != std::string::npos);
            CHECK(r.outcome().find("BA#1 waits for a (held by AB#1)") != std::string::npos);
            CHECK(r.outcome().find("main joins AB#1") != std::string::npos);
        }
    }
    CHECK(deadlocks > 0);
    CHECK(test::children_in_proc().empty());
}

TEST_CASE("a lock its holder never released blocks the next taker forever: deadlock", "[runtime]") {
    model::Program p = test::compile_text_ok(test::kNeverReleased);
    for (const auto& r : test::run_many(p, 3, test::fast_options())) {
        INFO(r.outcome());
        CHECK(r.status == RunStatus::Deadlock);
        CHECK(r.outcome().find("Waiter#1 waits for lock (held by Taker#1, which ended without releasing it)") != std::string::npos);
    }
    CHECK(test::children_in_proc().empty());
}

TEST_CASE("a child that raises makes outcome `error` with its message; the others go on", "[runtime]") {
    model::Program p = test::compile_text_ok(kFailing);
    for (const auto& r : test::run_many(p, 3, test::fast_options())) {
        CHECK(r.status == RunStatus::Error);
        CHECK(r.outcome().find("Bad#1: ValueError: invalid literal for int() with base 10: '7x'") != std::string::npos);
        CHECK(r.outcome().find("cells = [0, 5]") != std::string::npos);
        CHECK(r.failed_asserts.empty());
    }
}

TEST_CASE("a child killed by a signal makes outcome `error`", "[runtime]") {
    model::Program p = test::compile_text_ok(kSleeper);
    RunOptions o = test::fast_options();
    o.time_scale = 1;
    o.interrupted = [] {  // plays the crash: SIGSEGV to the run's child (its group is not its pid)
        for (int pid : test::children_in_proc())
            if (pgid_of(pid) != pid) ::kill(pid, SIGSEGV);
        return false;
    };
    auto runs = test::run_many(p, 1, o);
    INFO(runs[0].outcome());
    CHECK(runs[0].status == RunStatus::Error);
    CHECK(runs[0].outcome().find("Sleeper#1: died (killed by SIGSEGV)") != std::string::npos);
    CHECK(test::children_in_proc().empty());
}

TEST_CASE("a spec asking for a file outside its folder is refused before anything runs", "[runtime]") {
    model::Program p = test::compile_ok(test::tutorial_spec("09_file_race.crit"));
    for (auto& obj : p.objects)
        if (obj.kind == model::ObjectKind::File) obj.file_name = "../escaped.txt";
    test::PrivateTmpdir tmp;
    REQUIRE(tmp.made());
    CHECK_THROWS_AS(ForkExecutor(p, test::fast_options()), SpecRefused);
    CHECK(test::sandbox_folders() == 0);
    CHECK(test::children_in_proc().empty());
}

TEST_CASE("too many processes are refused with the cap in the message", "[runtime]") {
    model::Program p = test::compile_ok(test::tutorial_spec("11_semaphore.crit"));
    RunOptions o = test::fast_options();
    o.max_processes = 4;
    try {
        ForkExecutor e(p, o);
        FAIL("not refused");
    } catch (const SpecRefused& e) {
        CHECK(std::string(e.what()).find("the cap is 3") != std::string::npos);
    }
}

TEST_CASE("an interrupted run kills every child and removes its folder", "[runtime]") {
    model::Program p = test::compile_text_ok(kSleeper);
    RunOptions o = test::fast_options();
    o.time_scale = 1;
    int calls = 0;
    o.interrupted = [&] { return ++calls > 3; };
    test::PrivateTmpdir tmp;
    REQUIRE(tmp.made());
    {
        ForkExecutor e(p, o);
        CHECK(test::sandbox_folders() == 1);
        RunResult r = e.run(1);
        CHECK(r.status == RunStatus::Interrupted);
        CHECK(r.final_state[0] == "total.value = 0");
        CHECK(test::children_in_proc().size() <= 1);  // at most the idle group leader, reaped with the executor
    }
    CHECK(test::children_in_proc().empty());
    CHECK(test::sandbox_folders() == 0);
}

namespace {
// Two transfers that deadlock for real; main gives up waiting, terminates both
// (each holding a lock) and reads their exit codes; a daemon sleeper is ended at main's end.
constexpr const char* kTerminated = R"(
a = Lock()
b = Lock()

process AB():
    with a:
        sleep(1)
        with b:
            print("ab")

process BA():
    with b:
        sleep(1)
        with a:
            print("ba")

process Sleeper():
    sleep(60)

main:
    x = AB()
    y = BA()
    s = Sleeper(daemon=True)
    x.start()
    y.start()
    s.start()
    x.join(2)
    y.join(timeout=2)
    print(x.is_alive(), y.is_alive())
    x.terminate()
    y.kill()
    x.join()
    y.join()
    print(x.exitcode, y.exitcode, s.exitcode)
)";
}  // namespace

TEST_CASE("terminate() and kill() end real children, join(timeout) waits in vain, a daemon is ended at main's end", "[runtime]") {
    model::Program p = test::compile_text_ok(kTerminated);
    RunOptions o = test::fast_options();
    o.time_scale = 0.05;  // the transfers sleep 50 ms holding their first lock; main waits 100 ms for each
    for (const auto& r : test::run_many(p, 3, o)) {
        INFO(r.outcome());
        REQUIRE(r.main_output.size() == 2);
        CHECK(r.status == RunStatus::Ok);
        // Deadlocked: both alive after their timed joins, then ended by the signals.
        if (r.main_output[0] == "True True") CHECK(r.main_output[1] == "-15 -9 None");
        else CHECK(r.main_output[1].rfind("0 0", 0) == 0);
        // The daemon ended by SIGTERM in its sleep, at main's end: its end is in the log.
        bool daemon_ended = false;
        for (const auto& e : r.log.events) daemon_ended = daemon_ended || (e.instance == 3 && e.what == "ended by SIGTERM");
        CHECK(daemon_ended);
    }
    CHECK(test::children_in_proc().empty());
}

namespace {
// A child that never blocks: every iteration is a load of flag.
const std::string kSpinner = R"(
flag = Value("i", 0)

process Spinner():
    while flag.value == 0:
        pass

main:
    s = Spinner()
    s.start()
)";
}  // namespace

TEST_CASE("terminate() ends a child that never blocks, at its next step", "[runtime]") {
    model::Program p = test::compile_text_ok(kSpinner + "    sleep(0.05)\n    s.terminate()\n    s.join()\n    print(s.exitcode)\n");
    RunOptions o = test::fast_options();
    o.time_scale = 1;
    for (const auto& r : test::run_many(p, 2, o)) {
        INFO(r.outcome());
        CHECK(r.status == RunStatus::Ok);
        CHECK(r.main_output == std::vector<std::string>{"-15"});
    }
    CHECK(test::children_in_proc().empty());
}

TEST_CASE("a SIGTERM that main did not send still ends a stepping child, as it would end a Python one", "[runtime]") {
    // main announces its own signals in the arena; one from outside is looked for
    // every few dozen steps (process_driver.cpp), so it must not go unnoticed.
    model::Program p = test::compile_text_ok(kSpinner + "    s.join()\n    print(s.exitcode)\n");  // someone else ends it
    RunOptions o = test::fast_options();
    o.livelock_seconds = 30;
    bool sent = false;
    auto start = std::chrono::steady_clock::now();
    o.interrupted = [&] {
        if (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(50)) return false;  // it spins by then
        for (const auto& proc : test::all_processes())
            if (!sent && proc.ppid == ::getpid() && proc.pid != proc.pgid) {  // not the group's anchor
                ::kill(proc.pid, SIGTERM);
                sent = true;
            }
        return false;
    };
    auto runs = test::run_many(p, 1, o);
    CHECK(sent);
    INFO(runs.at(0).outcome());
    CHECK(runs.at(0).status == RunStatus::Ok);
    CHECK(runs.at(0).main_output == std::vector<std::string>{"-15"});
    CHECK(test::children_in_proc().empty());
}

TEST_CASE("kill() of a child that never blocks ends it between two steps, where the model puts it", "[runtime]") {
    // Killed inside a step, the child would leave the step lock held (main's join, and
    // every other process, would wait for it forever) and its access unlogged. The
    // counter's 1000 loads fit the event log; the kill lands among them or after them.
    model::Program p = test::compile_text_ok(R"(
flag = Value("i", 0)

process Counter():
    for i in range(1000):
        seen = flag.value

main:
    c = Counter()
    c.start()
    sleep(0.0002)
    c.kill()
    c.join()
    print(c.exitcode)
)");
    RunOptions o = test::fast_options();
    o.time_scale = 1;
    o.max_run_seconds = 20;
    auto check = [](const std::vector<RunResult>& runs) {
        for (const auto& r : runs) {
            INFO(r.outcome());
            CHECK(r.status == RunStatus::Ok);
            REQUIRE(r.log.dropped == 0);
            // Every step has its record: no number taken by a step that was cut short.
            for (size_t k = 0; k < r.log.events.size(); ++k) REQUIRE(r.log.events[k].seq == k);
            std::string last_of_counter;
            for (const auto& e : r.log.events)
                if (e.instance == 1) last_of_counter = e.what;
            if (r.main_output == std::vector<std::string>{"-9"}) CHECK(last_of_counter == "ended by SIGKILL");
            else CHECK(r.main_output == std::vector<std::string>{"0"});
        }
    };
    check(test::run_many(p, 10, o));
    LitmusExecutor litmus(p, o);
    std::vector<RunResult> reused;
    for (uint64_t i = 0; i < 10; ++i) reused.push_back(litmus.run(run_seed(3, i)));
    check(reused);
}
