// The command's budget (checker/budget.hpp): every search stops when the time
// or memory is spent, and says so; nothing here asserts a duration.
#include <catch2/catch.hpp>

#include <string>

#include "checker/budget.hpp"
#include "checker/engines.hpp"
#include "checker/outcomes.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;
using namespace critsec::checker;

namespace {

// Far too many interleavings to search in a test: 7 adders of 6 steps each.
const char* kHuge = R"(
total = Value("i", 0)

process Adder(k):
    for i in range(6):
        total.value += k

main:
    ps = [Adder(k) for k in range(7)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    assert total.value == 126
)";

}  // namespace

TEST_CASE("budget: a spent time budget is reported once and from then on") {
    Budget budget(0.001, 0, false);
    while (!budget.spent_now()) {}
    CHECK(*budget.spent_now() == "the time budget ran out (--timeout 0.001 s)");
    CHECK(budget.due());  // a spent budget is always due: searches stop at once
    CHECK(budget.check(
              0, [] { return size_t{0}; }, "explorer") == budget.spent_now());
}

TEST_CASE("budget: the explorer stops when the time is spent, and the verdicts say why") {
    model::Program program = test::compile_text_ok(kHuge);
    Budget budget(0.3, 0, false);
    ExplorerSettings settings;
    settings.max_states = 100'000'000;
    settings.options.budget = &budget;
    SpecCheck check = check_spec(program, settings, Engine::Explorer);
    bool said = false;
    for (const auto& p : check.properties)
        if (p.verdict == Verdict::Unknown) said = said || p.detail.find("the time budget ran out (--timeout 0.3 s)") != std::string::npos;
    CHECK(said);
}

TEST_CASE("budget: the enumeration of outcomes stops when the memory cap is passed") {
    model::Program program = test::compile_text_ok(kHuge);
    size_t cap = resident_mb() + 64;
    Budget budget(0, cap, false);
    OutcomeSettings settings;
    settings.max_states = 100'000'000;
    settings.options.budget = &budget;
    OutcomeReport report = enumerate_outcomes(program, settings);
    CHECK_FALSE(report.complete);
    CHECK(report.incomplete == "the memory budget ran out (--max-memory " + std::to_string(cap) + " MB)");
}

TEST_CASE("budget: the explorer's own enumeration (no compiled search) honours the time budget too") {
    model::Program program = test::compile_text_ok(kHuge);
    Budget budget(0.3, 0, false);
    OutcomeSettings settings;
    settings.max_states = 100'000'000;
    settings.compiled = false;
    settings.options.budget = &budget;
    OutcomeReport report = enumerate_outcomes(program, settings);
    CHECK_FALSE(report.complete);
    CHECK(report.incomplete == "the time budget ran out (--timeout 0.3 s)");
}
