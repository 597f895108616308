// The compiled outcome search (checker/symbolic/compiled_search.cpp) against the
// explorer's own outcome search, its oracle: on every spec in specs/ and on
// generated specs of its shape it finds the same outcome texts, each with a
// witness that replays to it, or it declines and says why.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <limits>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "checker/explorer/replay.hpp"
#include "checker/outcomes.hpp"
#include "checker/symbolic/compiled_search.hpp"
#include "model/expectations.hpp"
#include "model/frontend.hpp"
#include "tests/spec_paths.hpp"
#include "tests/test_scale.hpp"

using namespace critsec;
using namespace critsec::checker;

namespace {

std::set<std::string> texts(const OutcomeSearchReport& r) {
    std::set<std::string> out;
    for (const auto& [text, path] : r.outcomes) out.insert(text);
    return out;
}

// Compares the two searches on one spec; true when the compiled one applied.
bool same_as_explorer(const model::Program& program, const std::optional<std::vector<int64_t>>& inputs) {
    PreparedProgram prepared = prepare(program);
    OutcomeSearchOptions options;
    options.draws.main_inputs = inputs;
    options.draws.max_branching = 10'000;
    std::string declined;
    auto compiled = search_outcomes_compiled(prepared, options, &declined);
    if (!compiled) {
        INFO(declined);
        CHECK(!declined.empty());
        return false;
    }
    OutcomeSearchReport explorer = search_outcomes(prepared, options);
    REQUIRE(compiled->complete);
    std::string listing;
    for (const auto& text : texts(explorer)) listing += text + "----\n";
    INFO("the explorer's outcomes:\n" << listing);
    if (explorer.complete) {
        CHECK(texts(*compiled) == texts(explorer));
    } else {
        // Past its budget the explorer's outcomes are still reachable ones.
        auto all = texts(*compiled);
        for (const auto& text : texts(explorer)) CHECK(all.count(text));
    }
    for (const auto& [text, path] : compiled->outcomes) {
        Replayed r = replay_witness(prepared, witness_from_moves(path));
        INFO("witness of:\n" << text << r.problem);
        CHECK(r.ok);
        CHECK(r.outcome == text);
    }
    return true;
}

std::string adders(int n, const char* typecode = "i", int initial = 0) {
    std::string out = fmt::format("total = Value(\"{}\", {})\n\nprocess Adder(n1):\n    total.value += n1\n\nmain:\n    processes = [",
                                  typecode, initial);
    for (int i = 1; i <= n; ++i) out += fmt::format("{}Adder({})", i > 1 ? ", " : "", i);
    return out +
           "]\n    for p in processes:\n        p.start()\n    for p in processes:\n        p.join()\n"
           "    print(f\"total {total.value}\")\n";
}

// Specs in the compiled search's shape, mostly: straight-line children over
// Values (some wrapping around), an Array and two Locks (taken in either
// order, nested: some deadlock), arithmetic with abs/min/max, locals kept across
// statements, prints; main starting and joining them in various orders. Now
// and then a product that leaves 64 bits, which the compiled search leaves to
// the explorer.
class ShapeGenerator {
public:
    explicit ShapeGenerator(uint64_t seed) : rng_(seed) {}

    std::string next() {
        std::string out;
        const char* types[] = {"i", "b", "h", "B"};
        out += fmt::format("v = Value(\"{}\", {})\n", types[pick(4)], pick(3) == 0 ? 120 + pick(8) : pick(3));
        out += "w = Value(\"i\", 0)\n";
        out += fmt::format("arr = Array(\"i\", [0, {}])\n", pick(3));
        out += "lock = Lock()\nlock2 = Lock()\n\n";
        int templates = 1 + pick(2);
        for (int t = 0; t < templates; ++t) {
            out += fmt::format("process P{}(a, b):\n    t = 0\n", t);
            int statements = 1 + pick(4);
            for (int s = 0; s < statements; ++s) out += statement("    ", 0);
            out += "\n";
        }
        out += "main:\n";
        int instances = 2 + pick(2);
        for (int i = 0; i < instances; ++i) out += fmt::format("    p{} = P{}({}, {})\n", i, pick(templates), pick(5) - 1, pick(4));
        switch (pick(3)) {
            case 0:  // all started, then all joined
                for (int i = 0; i < instances; ++i) out += fmt::format("    p{}.start()\n", i);
                for (int i = 0; i < instances; ++i) out += fmt::format("    p{}.join()\n", instances - 1 - i);
                break;
            case 1:  // the first run alone, then the others together
                out += "    p0.start()\n    p0.join()\n";
                for (int i = 1; i < instances; ++i) out += fmt::format("    p{}.start()\n", i);
                for (int i = 1; i < instances; ++i) out += fmt::format("    p{}.join()\n", i);
                break;
            default:  // a join between starts
                out += "    p0.start()\n    p1.start()\n    p0.join()\n";
                for (int i = 2; i < instances; ++i) out += fmt::format("    p{}.start()\n", i);
                for (int i = 1; i < instances; ++i) out += fmt::format("    p{}.join()\n", i);
                break;
        }
        if (pick(2)) out += fmt::format("    assert v.value {} {}, \"final\"\n", pick(2) ? "<=" : "!=", pick(8));
        if (pick(2)) out += "    print(f\"totals {v.value} {w.value} {arr[0]} {arr[1]}\")\n";
        return out;
    }

private:
    int pick(int n) { return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(rng_)); }

    std::string statement(const std::string& indent, int depth) {
        switch (pick(depth < 2 ? 14 : 11)) {
            case 0: return indent + "v.value += a\n";
            case 1: return indent + "v.value = v.value * 2 - b\n";
            case 2: return indent + "w.value = max(v.value, a) + min(w.value, b)\n";
            case 3: return indent + fmt::format("arr[{}] += abs(v.value - a)\n", pick(2));
            case 4: return indent + "t = v.value\n";
            case 5: return indent + "w.value = t + a\n";
            case 6: return indent + fmt::format("arr[{}] = arr[{}] + b\n", pick(2), pick(2));
            case 7: return indent + "print(f\"v is {v.value}\")\n";
            case 8: return indent + "v.value = -v.value + t * b\n";
            case 9: return indent + (pick(8) == 0 ? "w.value = v.value * 4611686018427387904 * 4\n" : "w.value -= 1\n");
            case 10: return indent + "t = t + w.value\n";
            case 11:
            case 12: return indent + "with lock:\n" + statement(indent + "    ", depth + 1) + statement(indent + "    ", depth + 1);
            default: return indent + "with lock2:\n" + statement(indent + "    ", depth + 1) + statement(indent + "    ", depth + 1);
        }
    }

    std::mt19937_64 rng_;
};

}  // namespace

TEST_CASE("compiled search: every spec in specs/ gets the explorer's outcomes, or is declined with a reason") {
    std::set<std::string> applied;
    for (const char* dir : {"specs/tutorial", "specs/coursework"}) {
        for (const auto& entry : std::filesystem::directory_iterator(test::source_path(dir))) {
            if (entry.path().extension() != ".crit") continue;
            std::string name = entry.path().filename().string();
            INFO(name);
            auto compiled = compile_file(entry.path().string());
            SpecExpectations expectations = parse_expectations(compiled.source);
            std::optional<std::vector<int64_t>> inputs;
            if (expectations.fixed_inputs) inputs.emplace(expectations.fixed_inputs->begin(), expectations.fixed_inputs->end());
            if (same_as_explorer(test::compile_ok(entry.path().string()), inputs)) applied.insert(name);
        }
    }
    // The races of the tutorial it is for.
    CHECK(applied.count("07_value_race.crit"));
    CHECK(applied.count("10_lock.crit"));
}

TEST_CASE("compiled search: N unlocked adders, every total, in far fewer states than the explorer's") {
    for (int n = 2; n <= 6; ++n) {
        INFO(n << " adders");
        model::Program program = test::compile_text_ok(adders(n));
        REQUIRE(same_as_explorer(program, std::nullopt));
        PreparedProgram prepared = prepare(program);
        auto compiled = search_outcomes_compiled(prepared, {});
        REQUIRE(compiled);
        CHECK(compiled->outcomes.size() == static_cast<size_t>(n * (n + 1) / 2));
        if (n >= 5) CHECK(compiled->states * 3 < search_outcomes(prepared, {}).states);
    }
    // Stores wrap around as ctypes does: a signed char from 120 up.
    REQUIRE(same_as_explorer(test::compile_text_ok(adders(4, "b", 120)), std::nullopt));
}

TEST_CASE("compiled search: on generated specs of its shape it finds the explorer's outcomes") {
    ShapeGenerator gen(20261127);
    int applied = 0, cases = test::generated_cases(200);
    for (int n = 0; n < cases; ++n) {
        std::string text = gen.next();
        INFO("spec " << n << ":\n" << text);
        applied += same_as_explorer(test::compile_text_ok(text), std::nullopt);
    }
    // Declines (a deadlock, an overflow) stay the exception.
    CHECK(applied * 2 > cases);
}

TEST_CASE("compiled search: what it leaves to the explorer, and why") {
    auto declined = [](const std::string& text, const std::optional<std::vector<int64_t>>& inputs = std::nullopt) {
        PreparedProgram prepared = prepare(test::compile_text_ok(text));
        OutcomeSearchOptions options;
        options.draws.main_inputs = inputs;
        std::string why;
        CHECK_FALSE(search_outcomes_compiled(prepared, options, &why));
        // enumerate_outcomes then runs the explorer's search, which words the outcome.
        OutcomeSettings settings;
        settings.options.fixed_inputs = inputs;
        OutcomeReport report = enumerate_outcomes(test::compile_text_ok(text), settings);
        CHECK_FALSE(report.compiled);
        CHECK(report.compiled_declined == why);
        CHECK_FALSE(report.outcomes.empty());
        return why;
    };
    CHECK(declined("a = Lock()\nb = Lock()\n\nprocess P(x):\n    with a:\n        with b:\n            print(x)\n\n"
                   "process Q(x):\n    with b:\n        with a:\n            print(x)\n\n"
                   "main:\n    p = P(1)\n    q = Q(2)\n    p.start()\n    q.start()\n    p.join()\n    q.join()\n") ==
          "a final state with a child blocked (a deadlock, which names it)");
    CHECK(declined("v = Value(\"q\", 3)\n\nprocess P(x):\n    v.value = v.value * x * 4611686018427387904\n\n"
                   "main:\n    p = P(8)\n    p.start()\n    p.join()\n") == "a child whose arithmetic may leave 64 bits");
    CHECK(declined(
              "v = Value(\"i\", 0)\n\nprocess P(x):\n    v.value += x\n\nmain:\n    p = P(randint(1, 3))\n    p.start()\n    p.join()\n") ==
          "inputs left to draw");
    CHECK(declined(
              "s = Semaphore(1)\n\nprocess P(x):\n    with s:\n        print(x)\n\nmain:\n    p = P(1)\n    p.start()\n    p.join()\n") ==
          "a semaphore");
}

TEST_CASE("compiled search: main's inputs fixed by --inputs or drawn from a seed") {
    std::string text =
        "v = Value(\"i\", 0)\n\nprocess P(x):\n    v.value += x\n\n"
        "main:\n    p = P(randint(1, 9))\n    q = P(randint(1, 9))\n    p.start()\n    q.start()\n    p.join()\n    q.join()\n";
    model::Program program = test::compile_text_ok(text);
    OutcomeSettings settings;
    settings.options.fixed_inputs = std::vector<int64_t>{4, 7};
    OutcomeReport fixed = enumerate_outcomes(program, settings);
    CHECK(fixed.compiled);
    std::set<std::string> got;
    for (const auto& o : fixed.outcomes) got.insert(o.text);
    CHECK(got == std::set<std::string>{"v.value = 4\n", "v.value = 7\n", "v.value = 11\n"});
    REQUIRE(same_as_explorer(program, std::vector<int64_t>{4, 7}));

    settings.options.fixed_inputs.reset();
    settings.seed = 5;
    OutcomeReport seeded = enumerate_outcomes(program, settings);
    settings.compiled = false;
    OutcomeReport by_explorer = enumerate_outcomes(program, settings);
    CHECK(seeded.compiled);
    REQUIRE(seeded.outcomes.size() == by_explorer.outcomes.size());
    for (size_t i = 0; i < seeded.outcomes.size(); ++i) {
        CHECK(seeded.outcomes[i].text == by_explorer.outcomes[i].text);
        CHECK(seeded.outcomes[i].witness.inputs == by_explorer.outcomes[i].witness.inputs);
    }
}

TEST_CASE("compiled search: `critsec outcomes --search auto|explorer` say which search ran and list the same outcomes") {
    auto run = [](const std::string& search) {
        std::string cmd = std::string(CRITSEC_BINARY) + " outcomes --format json --search " + search + " " +
                          test::tutorial_spec("07_value_race.crit") + " --inputs '3 3 4 5 5 6 6 6 6 7'";
        std::string out;
        FILE* pipe = ::popen(cmd.c_str(), "r");
        REQUIRE(pipe != nullptr);
        char buf[4096];
        for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
        CHECK(::pclose(pipe) == 0);
        return nlohmann::json::parse(out);
    };
    nlohmann::json compiled = run("auto"), explorer = run("explorer");
    CHECK(compiled["search"] == "compiled");
    CHECK(explorer["search"] == "explorer");
    std::set<std::string> a, b;
    for (const auto& o : compiled["outcomes"]) a.insert(o["outcome"].get<std::string>());
    for (const auto& o : explorer["outcomes"]) b.insert(o["outcome"].get<std::string>());
    CHECK(a.size() == 31);
    CHECK(a == b);
}

TEST_CASE("compiled search: loads only printed, trailing prints before a join, seeded indices, a huge or a small budget") {
    // Loads whose values only reach prints are taken along with the step before:
    // 7 children of 8 such loads each stay a small search.
    std::string printing = "v = Value(\"i\", 0)\nw = Value(\"i\", 0)\n\nprocess P(k):\n";
    for (int i = 0; i < 8; ++i) printing += "    print(f\"{v.value}\")\n";
    printing +=
        "    w.value = k\n\nmain:\n    ps = [P(1), P(2), P(3), P(4), P(5), P(6), P(7)]\n"
        "    for p in ps:\n        p.start()\n    for p in ps:\n        p.join()\n    print(f\"{w.value}\")\n";
    model::Program program = test::compile_text_ok(printing);
    REQUIRE(same_as_explorer(program, std::nullopt));
    PreparedProgram prepared = prepare(program);
    auto compiled = search_outcomes_compiled(prepared, {});
    REQUIRE(compiled);
    CHECK(compiled->outcomes.size() == 7);
    CHECK(compiled->states < 2000);

    // A child's last print is what main's join waits for before it starts the next.
    REQUIRE(same_as_explorer(
        test::compile_text_ok("total = Value(\"i\", 0)\n\nprocess Adder(n):\n    total.value += n\n    print(f\"added {n}\")\n\n"
                              "main:\n    a = Adder(1)\n    b = Adder(2)\n    a.start()\n    a.join()\n    b.start()\n    b.join()\n"),
        std::nullopt));

    // Seeded inputs used as an index: drawn while the system is extracted.
    std::string indexed =
        "arr = Array(\"i\", 2)\n\nprocess A(i):\n    arr[i] += 1\n\n"
        "main:\n    ps = [A(randint(0, 1)) for _ in range(2)]\n    for p in ps:\n        p.start()\n    for p in ps:\n        p.join()\n";
    OutcomeSettings settings;
    settings.seed = 3;
    OutcomeReport seeded = enumerate_outcomes(test::compile_text_ok(indexed), settings);
    CHECK(seeded.compiled);
    INFO(seeded.compiled_declined);
    settings.compiled = false;
    OutcomeReport by_explorer = enumerate_outcomes(test::compile_text_ok(indexed), settings);
    REQUIRE(seeded.outcomes.size() == by_explorer.outcomes.size());
    for (size_t i = 0; i < seeded.outcomes.size(); ++i) CHECK(seeded.outcomes[i].text == by_explorer.outcomes[i].text);

    // The budget times the factor saturates instead of wrapping around; a budget too
    // small declines (its final states all lie at the greatest depth), and the explorer runs.
    PreparedProgram adders3 = prepare(test::compile_text_ok(adders(3)));
    OutcomeSearchOptions huge;
    huge.max_states = std::numeric_limits<size_t>::max() / 2;
    auto all = search_outcomes_compiled(adders3, huge);
    REQUIRE(all);
    CHECK(all->outcomes.size() == 6);
    OutcomeSearchOptions tiny;
    tiny.max_states = 2;
    std::string why;
    CHECK_FALSE(search_outcomes_compiled(adders3, tiny, &why));
    CHECK(why == "it stopped after 9 states (the --max-states budget, times 4)");
}
