#include <catch2/catch.hpp>

#include <filesystem>

#include "model/expectations.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;

TEST_CASE("every spec's expectations parse") {
    namespace fs = std::filesystem;
    int specs = 0;
    for (const auto& entry : fs::recursive_directory_iterator(test::source_path("specs"))) {
        if (entry.path().extension() != ".crit") continue;
        ++specs;
        Compiled c = compile_file(entry.path().string());
        SpecExpectations e = parse_expectations(c.source);
        INFO(entry.path().string() << "\n" << render_all(c.source, e.diagnostics));
        CHECK(e.diagnostics.empty());
        CHECK_FALSE(e.expectations.empty());
    }
    CHECK(specs >= 13);
}

TEST_CASE("expectation forms") {
    SourceFile src("x.crit", R"(# expect: lost-update: VIOLATED
# expect: assert@21: PROVED
# expect: outcomes: 31
# expect: outcome: total.value = 36
# expect: prints: Worker#1 "Worker: 1"
# expect: max-inside Printer 13-15: 3
# expect: overlap Task: never
# expect: order main:end before Task:15: sometimes
# fixed-inputs: 1 -2 3
# expect: lost update: VIOLATED
)");
    SpecExpectations e = parse_expectations(src);
    REQUIRE(e.expectations.size() == 8);
    CHECK(e.expectations[0].property == "lost-update");
    CHECK(e.expectations[0].verdict == "VIOLATED");
    CHECK(e.expectations[1].property == "assert@21");
    CHECK(e.expectations[2].count == 31);
    CHECK(e.expectations[3].text == "total.value = 36");
    CHECK(e.expectations[4].process == "Worker#1");
    CHECK(e.expectations[4].text == "Worker: 1");
    CHECK(e.expectations[5].first_line == 13);
    CHECK(e.expectations[5].count == 3);
    CHECK(e.expectations[6].never);
    CHECK(e.expectations[7].first == "main:end");
    CHECK(e.expectations[7].quantifier == "sometimes");
    REQUIRE(e.fixed_inputs);
    CHECK(*e.fixed_inputs == std::vector<long long>{1, -2, 3});
    REQUIRE(e.diagnostics.size() == 1);
    CHECK(e.diagnostics[0].loc.line == 10);
}
