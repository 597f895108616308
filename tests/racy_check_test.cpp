// `critsec check` on racy specs: the shape proofs (deadlock, runtime error)
// against the explorer's exhaustive search, and the default engine deciding
// unlocked adders, up to hundreds of processes, from a small search.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "checker/engines.hpp"
#include "checker/explorer/properties.hpp"
#include "checker/explorer/replay.hpp"
#include "checker/symbolic/symbolic_session.hpp"
#include "checker/witness/trace_render.hpp"
#include "model/frontend.hpp"

using namespace critsec;
using namespace critsec::checker;

namespace {

model::Program compiled(const std::string& text) {
    Compiled c = compile_source("racy.crit", text);
    INFO(text);
    REQUIRE(c.program);
    return std::move(*c.program);
}

// N adders without a lock, adding 1..N (or draws), and main's assert of the sum.
std::string unlocked_adders(int n, bool random) {
    std::string list = random ? fmt::format("[Adder(randint(1, 10)) for _ in range({})]", n) : "[";
    for (int i = 1; !random && i <= n; ++i) list += fmt::format("{}Adder({})", i > 1 ? ", " : "", i);
    if (!random) list += "]";
    return fmt::format(R"(total = Value("i", 0)

process Adder(n1):
    total.value += n1

main:
    processes = {}
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    expected = 0
    for p in processes:
        expected += p.n1
    assert total.value == expected, "lost update"
)",
                       list);
}

// Two workers with a child body given, main starting and joining them.
std::string two_workers(const std::string& body, const std::string& value = "Value(\"i\", 0)") {
    return fmt::format(R"(total = {}
a = Lock()
b = Lock()

process Worker(n1, first):
{}

main:
    w1 = Worker(randint(1, 3), True)
    w2 = Worker(randint(1, 3), False)
    w1.start()
    w2.start()
    w1.join()
    w2.join()
)",
                       value, body);
}

bool proves(const ShapeSafety& s, const std::string& key) {
    return std::any_of(s.proved.begin(), s.proved.end(), [&](const PropertyResult& p) { return p.key == key; });
}

const PropertyResult& property(const std::vector<PropertyResult>& ps, const std::string& key) {
    for (const auto& p : ps)
        if (p.key == key) return p;
    FAIL("no property " << key);
    return ps.front();
}

}  // namespace

TEST_CASE("shape proofs: what they prove the explorer never violates, and they decline real deadlocks", "[shape]") {
    struct Case {
        std::string body;
        std::string value;
        bool deadlock_proved, runtime_error_proved;
    };
    std::vector<Case> cases{
        {"    total.value += n1", "Value(\"i\", 0)", true, true},
        {"    with a:\n        total.value += n1", "Value(\"i\", 0)", true, true},
        {"    a.acquire()\n    total.value += n1\n    a.release()\n    with b:\n        total.value -= 1", "Value(\"i\", 0)", true, true},
        // Wraps (as ctypes does): not an error.
        {"    total.value += n1 * 100", "Value(\"b\", 120)", true, true},
        // Ends holding the lock: the other worker waits forever.
        {"    a.acquire()\n    total.value += n1", "Value(\"i\", 0)", false, true},
        // Opposite lock orders: a deadlock.
        {"    if first:\n        with a:\n            with b:\n                total.value += n1\n    else:\n        with b:\n            "
         "with a:\n"
         "                total.value += n1",
         "Value(\"i\", 0)", false, true},
        // A local beyond 64 bits.
        {"    x = n1 * 4611686018427387904\n    total.value += 1\n    print(f\"{x}\")", "Value(\"i\", 0)", true, false},
        // A pid and a quotient by a nonzero constant are only printed: neither can fail.
        {"    total.value += n1\n    print(f\"{pid()} {parent_pid()} {total.value / 3}\")", "Value(\"i\", 0)", true, true},
        // A quotient by a draw or by zero is declined (n1 is never 0 here, but the extraction does not know).
        {"    total.value += n1\n    print(f\"{total.value / n1}\")", "Value(\"i\", 0)", true, false},
        {"    total.value += n1\n    print(f\"{total.value / 0}\")", "Value(\"i\", 0)", true, false},
    };
    for (const auto& c : cases) {
        model::Program program = compiled(two_workers(c.body, c.value));
        INFO(c.body);
        ShapeSafety shape = prove_safety_by_shape(program, CheckOptions{});
        ExplorerCheck exhaustive = check_with_explorer(program, ExplorerSettings{});
        CHECK(proves(shape, "deadlock") == c.deadlock_proved);
        CHECK(proves(shape, "runtime-error") == c.runtime_error_proved);
        for (const auto& p : shape.proved) {
            const PropertyResult& e = property(exhaustive.properties, p.key);
            CHECK(e.verdict == Verdict::Proved);
        }
        if (!c.deadlock_proved) CHECK(property(exhaustive.properties, "deadlock").verdict == Verdict::Violated);
    }
}

TEST_CASE("check: unlocked adders, up to 256 processes, decided by a small search and the shape proofs", "[shape]") {
    for (int n : {2, 8, 64, kMaxInstances}) {
        for (bool random : {false, true}) {
            INFO(fmt::format("{} adders, {} inputs", n, random ? "random" : "fixed"));
            model::Program program = compiled(unlocked_adders(n, random));
            SpecCheck check = check_spec(program, ExplorerSettings{}, Engine::Auto);
            const PropertyResult& lost = property(check.properties, "lost-update");
            const PropertyResult& failed = property(check.properties, "assert@15");
            CHECK(lost.verdict == Verdict::Violated);
            CHECK(failed.verdict == Verdict::Violated);
            CHECK(property(check.properties, "deadlock").verdict == Verdict::Proved);
            CHECK(property(check.properties, "runtime-error").verdict == Verdict::Proved);
            CHECK(check.z3_seconds == 0);
            // The witnesses are real: replayed on the step semantics, they show what they claim.
            PreparedProgram prepared = prepare(program);
            REQUIRE(lost.witness);
            CHECK(replay_witness(prepared, *lost.witness).lost_update);
            CHECK(lost.witness->steps.size() <= 8);
            REQUIRE(failed.witness);
            Replayed end = replay_witness(prepared, *failed.witness);
            REQUIRE(end.ok);
            REQUIRE(!end.failures.empty());
            CHECK(end.failures.back() == "main: AssertionError: lost update");
        }
    }
}

TEST_CASE("check: a race whose shape proves nothing still gets the whole search", "[shape]") {
    // The worker ends holding the lock: the shape proves no deadlock, so the explorer searches on and finds it.
    model::Program program = compiled(two_workers("    a.acquire()\n    total.value += n1"));
    SpecCheck check = check_spec(program, ExplorerSettings{}, Engine::Auto);
    CHECK(property(check.properties, "deadlock").verdict == Verdict::Violated);
    CHECK(property(check.properties, "runtime-error").verdict == Verdict::Proved);
}

TEST_CASE("check: without a store computed from a load there is no lost update to find, so no small search", "[shape]") {
    // Each worker stores its own draw: no read-modify-write, so the small search could never violate everything.
    model::Program program = compiled(two_workers("    total.value = n1\n    assert total.value > 0, \"stored\""));
    ExplorerSettings settled;
    settled.settled = {"deadlock", "runtime-error"};
    CHECK_FALSE(find_every_violation(program, settled).has_value());
    SpecCheck check = check_spec(program, ExplorerSettings{}, Engine::Auto);
    CHECK(property(check.properties, "lost-update").verdict == Verdict::Proved);
    CHECK(property(check.properties, "deadlock").verdict == Verdict::Proved);
    // A read-modify-write lets it run, and it finds the lost update.
    model::Program racy = compiled(unlocked_adders(3, false));
    auto quick = find_every_violation(racy, settled);
    REQUIRE(quick.has_value());
    CHECK(property(quick->properties, "lost-update").verdict == Verdict::Violated);
}

TEST_CASE("shape proofs: without any acquire, only main's joins block, so no deadlock, with files and loops too", "[shape]") {
    const char* files = R"(process Writer(n):
    with open("t.txt", "a+") as f:
        f.write(str(n))
    while n > 0:
        n -= 1

main:
    ws = [Writer(randint(1, 2)) for _ in range(2)]
    for w in ws:
        w.start()
    for w in ws:
        w.join()
)";
    model::Program program = compiled(files);
    ShapeSafety shape = prove_safety_by_shape(program, CheckOptions{});
    CHECK(proves(shape, "deadlock"));
    CHECK(property(check_with_explorer(program, ExplorerSettings{}).properties, "deadlock").verdict == Verdict::Proved);
    // A semaphore acquire can block: the rule declines, and the explorer finds the deadlock.
    std::string blocked = std::string("s = Semaphore(0)\n") + files;
    blocked.replace(blocked.find("    while n > 0:"), 0, "    s.acquire()\n");
    model::Program waits = compiled(blocked);
    CHECK_FALSE(proves(prove_safety_by_shape(waits, CheckOptions{}), "deadlock"));
    CHECK(property(check_with_explorer(waits, ExplorerSettings{}).properties, "deadlock").verdict == Verdict::Violated);
}

TEST_CASE("charts: when the columns do not fit, a counterexample is one line per step, naming its process", "[shape]") {
    model::Program program = compiled(unlocked_adders(20, false));
    SpecCheck c = check_spec(program, ExplorerSettings{}, Engine::Auto);
    // The lost update involves three processes: columns, on a wide terminal. The assert's run has all 21: a list.
    CHECK(chart_of(program, *property(c.properties, "lost-update").witness, chart::Layout{.width = 140}).find("\n row | main ") !=
          std::string::npos);
    const PropertyResult& broken = property(c.properties, "assert@15");
    REQUIRE(broken.witness);
    std::string chart = chart_of(program, *broken.witness);
    INFO(chart);
    CHECK(chart.find("\n row | process  | step") != std::string::npos);
    CHECK(chart.find("[LOST]") != std::string::npos);
    CHECK(chart.find("[STALE]") != std::string::npos);
    // No column per process: every line is short.
    size_t longest = 0, start = 0;
    for (size_t nl; (nl = chart.find('\n', start)) != std::string::npos; start = nl + 1) longest = std::max(longest, nl - start);
    CHECK(longest <= 100);
}
