// The inductive engine against the explorer (the brute-force oracle) on small
// specs: whatever it proves, the explorer must find no violation of, and it must
// prove the locked patterns it was built for (else the comparison says nothing).
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "checker/engines.hpp"
#include "checker/explorer/properties.hpp"
#include "checker/symbolic/symbolic_session.hpp"
#include "model/expectations.hpp"
#include "model/frontend.hpp"

using namespace critsec;
using namespace critsec::checker;

namespace {

struct Variant {
    std::string name;
    bool should_prove;  // the engine is expected to prove the assert (when false, it may or may not)
};

// N adders over a pattern: the body, the value's typecode and initial value, the assert.
std::string adders(int n, const std::string& body, bool random, const std::string& value = "Value(\"i\", 0)",
                   const std::string& check = "total.value == expected") {
    return fmt::format(R"(total = {}
other = Value("i", 0)
cells = Array("i", {})
lock = Lock()
lock2 = Lock()

process Adder(n1, k):
{}

main:
    processes = {}
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    expected = 0
    for p in processes:
        expected += p.n1
    assert {}, "lost update"
)",
                       value, n,
                       body,
                       random ? fmt::format("[Adder(randint(1, 3), i) for i in range({})]", n)
                              : [&] {
                                    std::string s = "[";
                                    for (int i = 0; i < n; ++i) s += fmt::format("{}Adder({}, {})", i ? ", " : "", i + 1, i);
                                    return s + "]";
                                }(),
                       check);
}

const std::vector<std::pair<Variant, std::string>>& bodies() {
    static const std::vector<std::pair<Variant, std::string>> all{
        {{"locked", true}, "    with lock:\n        total.value += n1"},
        {{"unlocked", false}, "    total.value += n1"},
        {{"lock released before the store", false}, "    with lock:\n        t = total.value\n    total.value = t + n1"},
        {{"get_lock", true}, "    with total.get_lock():\n        total.value += n1"},
        {{"subtract twice, add thrice", true},
         "    with lock:\n        total.value -= n1\n    with lock:\n        total.value -= n1\n"
         "    with lock:\n        total.value += 3 * n1"},
        {{"two counters, one lock", true}, "    print(f\"{k}\")\n    with lock:\n        total.value += n1\n        other.value += 2 * n1"},
        {{"own array cell, no lock", true}, "    cells[k] += n1\n    with lock:\n        total.value += n1"},
        {{"shared array cell, no lock", false}, "    cells[0] += n1\n    with lock:\n        total.value += n1"},
        {{"acquire and release by hand", true}, "    lock.acquire()\n    total.value += n1\n    lock.release()"},
        {{"pid and quotient printed", true},
         "    with lock:\n        total.value += n1\n        print(f\"{pid()}: {total.value} / 2 = {total.value / 2}\")"},
    };
    return all;
}

// The explorer (the oracle) grows with interleavings times input vectors:
// random inputs at 4 adders cost more than every other case together, and
// the patterns' bugs already show with 2 or 3.
bool small_enough(int n, bool random) { return n <= 3 || !random; }

ExplorerCheck explore_all(const model::Program& program) {
    ExplorerSettings s;
    s.max_input_combinations = 1'000'000;
    return check_with_explorer(program, s);
}

const PropertyResult* find_assert(const std::vector<PropertyResult>& all) {
    for (const auto& r : all)
        if (r.kind == PropertyKind::Assert) return &r;
    return nullptr;
}

model::Program compiled(const std::string& text) {
    Compiled c = compile_source("induction.crit", text);
    INFO(text);
    REQUIRE(c.program);
    return *c.program;
}

}  // namespace

TEST_CASE("induction: whatever it proves, the explorer finds no violation of", "[induction]") {
    for (const auto& [variant, body] : bodies()) {
        for (int n = 2; n <= 4; ++n) {
            for (bool random : {false, true}) {
                if (!small_enough(n, random)) continue;
                std::string text = adders(n, body, random);
                model::Program program = compiled(text);
                InductionResult ind = prove_by_induction(program, CheckOptions{});
                ExplorerCheck ex = explore_all(program);
                const PropertyResult* brute = find_assert(ex.properties);
                INFO(variant.name << " n=" << n << (random ? " random" : " fixed") << "\n" << text << "\ndeclined: " << ind.declined);
                REQUIRE(brute);
                bool proved = find_assert(ind.proved) != nullptr;
                if (variant.should_prove) CHECK(proved);
                // Every property it proves, the explorer must not refute (nor leave open when it finished).
                for (const auto& p : ind.proved) {
                    const PropertyResult* other = nullptr;
                    for (const auto& r : ex.properties)
                        if (r.key == p.key) other = &r;
                    REQUIRE(other);
                    INFO(p.key << ": " << other->detail);
                    CHECK(other->verdict != Verdict::Violated);
                    if (ex.bound_hit == false && other->detail.find("incomplete") == std::string::npos)
                        CHECK(other->verdict == Verdict::Proved);
                }
            }
        }
    }
}

TEST_CASE("induction: never proves a false assert, a wrapped store or an unlocked race", "[induction]") {
    for (int n = 2; n <= 4; ++n) {
        for (bool random : {false, true}) {
            if (!small_enough(n, random)) continue;
            std::vector<std::string> specs{
                adders(n, "    with lock:\n        total.value += n1", random, "Value(\"i\", 0)", "total.value == expected + 1"),
                adders(n, "    with lock:\n        total.value += n1", random, "Value(\"i\", 0)", "total.value != expected"),
                adders(n, "    with lock:\n        total.value += 60 * n1", random, "Value(\"b\", 0)", "total.value == 60 * expected"),
                adders(n, "    total.value += n1", random),
                adders(n, "    with lock:\n        t = total.value\n    total.value = t + n1", random),
                // The frame lemmas read "another process holds the lock" off the lock
                // that protects an increment: it must be the same lock, held throughout.
                adders(n,
                       "    if k < 1:\n        with lock:\n            total.value += n1\n    else:\n        with lock2:\n"
                       "            total.value += n1",
                       random),
                adders(n, "    t = total.value\n    with lock:\n        total.value = t + n1", random),
                adders(n, "    with lock:\n        t = total.value\n    with lock:\n        total.value = t + n1", random),
                // The first adder (k = 0) fails with ZeroDivisionError before it adds.
                adders(n, "    print(f\"{n1 / k}\")\n    with lock:\n        total.value += n1", random),
            };
            for (const auto& text : specs) {
                model::Program program = compiled(text);
                InductionResult ind = prove_by_induction(program, CheckOptions{});
                ExplorerCheck ex = explore_all(program);
                const PropertyResult* brute = find_assert(ex.properties);
                INFO(text << "\ndeclined: " << ind.declined);
                REQUIRE(brute);
                CHECK(brute->verdict == Verdict::Violated);
                CHECK(find_assert(ind.proved) == nullptr);
                CHECK(!ind.declined.empty());
            }
        }
    }
}

TEST_CASE("induction: check_spec reports a proof by the inductive engine", "[induction]") {
    model::Program program = compiled(adders(3, "    with lock:\n        total.value += n1", true));
    ExplorerSettings s;
    s.max_input_combinations = 10;  // the explorer samples inputs, so the assert is input-dependent for it
    SpecCheck check = check_spec(program, s, Engine::Auto);
    bool found = false;
    for (size_t i = 0; i < check.properties.size(); ++i) {
        if (check.properties[i].kind != PropertyKind::Assert) continue;
        found = true;
        CHECK(check.properties[i].verdict == Verdict::Proved);
        CHECK(check.decided_by[i] == "induction");
        CHECK(check.properties[i].detail.find("proved by an inductive invariant") != std::string::npos);
    }
    CHECK(found);
}

TEST_CASE("check_spec: with a watch the explorer goes first, and the assert it cannot decide is still proved", "[induction]") {
    // Three locked adders with random inputs and a watch on the critical section.
    std::string text = "# expect: max-inside Adder 10-10: 1\n" + adders(3, "    with lock:\n        total.value += n1", true);
    Compiled c = compile_source("watched.crit", text);
    REQUIRE(c.program);
    SpecExpectations ex = parse_expectations(c.source);
    ExplorerSettings s;
    for (const auto& e : ex.expectations)
        if (is_watch(e)) s.watches.push_back(e);
    REQUIRE(s.watches.size() == 1);
    s.max_input_combinations = 10;  // the explorer samples inputs, so the assert is input-dependent for it
    SpecCheck check = check_spec(*c.program, s, Engine::Auto);
    bool watched = false, asserted = false;
    for (size_t i = 0; i < check.properties.size(); ++i) {
        const auto& p = check.properties[i];
        INFO(p.key << ": " << p.detail);
        if (p.kind == PropertyKind::MaxInside) {
            watched = true;
            CHECK(p.verdict == Verdict::Proved);
            CHECK(check.decided_by[i] == "explorer");
        }
        if (p.kind == PropertyKind::Assert) {
            asserted = true;
            CHECK(p.verdict == Verdict::Proved);
            CHECK(check.decided_by[i] == "induction");
        }
    }
    CHECK((watched && asserted));
}

TEST_CASE("induction: many locked adders are proved with O(1) goals per step", "[induction]") {
    // Beyond the explorer's reach: what is checked here is that the frame and
    // bound lemmas leave the proof complete, not its soundness (above).
    for (bool random : {false, true}) {
        model::Program program = compiled(adders(24, "    with lock:\n        total.value += n1", random));
        InductionResult ind = prove_by_induction(program, CheckOptions{});
        INFO((random ? "random" : "fixed") << " declined: " << ind.declined);
        CHECK(ind.complete);
    }
}
