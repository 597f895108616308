// Every spec in specs/ against the verdicts, outcomes and watches its `# expect:`
// lines state, judged as `critsec check` and `critsec suite` judge them
// (checker/claims.hpp): the explicit-state explorer, then Z3 for what the
// explorer left undecided.
//
// A claim neither engine decides is reported with WARN, not failed; a VIOLATED
// found on sampled inputs still refutes a PROVED claim.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "checker/claims.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;
using namespace critsec::checker;

namespace {

std::vector<std::string> all_specs() {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(test::source_path("specs")))
        if (e.is_regular_file() && e.path().extension() == ".crit") out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("golden: every spec gets the verdicts, outcomes and watches it states (explorer, then Z3)") {
    int confirmed = 0, undecided = 0, claims = 0;
    for (const std::string& path : all_specs()) {
        Compiled c = compile_file(path);
        INFO(path << "\n" << render_all(c.source, c.diagnostics));
        REQUIRE(c.program);
        SpecExpectations ex = parse_expectations(c.source);
        REQUIRE(ex.diagnostics.empty());
        CHECK(!ex.expectations.empty());

        SpecVerdicts v = judge_claims(*c.program, ex);
        for (const auto& claim : v.claims) {
            ++claims;
            std::string where = path + ":" + std::to_string(claim.claim.loc.line);
            INFO(where << ": the spec states " << claim.stated << "; the checker finds " << claim.found);
            if (claim.status == ClaimStatus::Undecided) WARN(where << ": not decided: " << claim.found);
            CHECK(claim.status != ClaimStatus::Refuted);
        }
        confirmed += v.confirmed;
        undecided += v.undecided;
    }
    WARN("golden: " << claims << " claims, " << confirmed << " confirmed, " << undecided << " not decided");
    CHECK(claims > 60);
}

TEST_CASE("golden: a wrong claim is refuted with what the checker found") {
    Compiled c = compile_file(test::tutorial_spec("07_value_race.crit"));
    REQUIRE(c.program);
    SpecExpectations ex = parse_expectations(c.source);
    ex.expectations.erase(std::remove_if(ex.expectations.begin(), ex.expectations.end(),
                                         [](const Expectation& e) { return e.kind != Expectation::Kind::Verdict; }),
                          ex.expectations.end());
    for (auto& e : ex.expectations)
        if (e.property == "lost-update") e.verdict = "PROVED";
    SpecVerdicts v = judge_claims(*c.program, ex);
    REQUIRE(v.refuted == 1);
    auto wrong = std::find_if(v.claims.begin(), v.claims.end(), [](const ClaimResult& r) { return r.status == ClaimStatus::Refuted; });
    CHECK(wrong->stated == "lost-update: PROVED");
    CHECK(wrong->found.rfind("VIOLATED: ", 0) == 0);
}
