// Every spec in specs/ against the verdicts, outcomes and watches its `# expect:`
// lines state, judged as `critsec check` and `critsec suite` judge them
// (checker/claims.hpp): the explicit-state explorer, then Z3 for what the
// explorer left undecided.
//
// The claims neither engine decides are pinned (kUndecided); a VIOLATED
// found on sampled inputs still refutes a PROVED claim.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include <algorithm>
#include <filesystem>

#include "checker/claims.hpp"
#include "tests/spec_paths.hpp"
#include "tests/test_scale.hpp"

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

// A file's own `# expect:` claims, judged; the file must compile and state some.
SpecVerdicts judge_own_claims(const std::string& path) {
    Compiled c = compile_file(path);
    INFO(path << "\n" << render_all(c.source, c.diagnostics));
    REQUIRE(c.program);
    SpecExpectations ex = parse_expectations(c.source);
    REQUIRE(ex.diagnostics.empty());
    CHECK(!ex.expectations.empty());
    return judge_claims(*c.program, ex);
}

}  // namespace

TEST_CASE("golden: every spec gets the verdicts, outcomes and watches it states (explorer, then Z3)") {
    // The claims the checker leaves undecided, pinned: a claim that becomes
    // undecided (an engine got weaker) fails here, and so does one that becomes
    // decided (take it off the list). Each as "path:line" under specs/.
    const std::set<std::string> kUndecided = {};
    std::set<std::string> undecided_claims;
    int confirmed = 0, undecided = 0, claims = 0;
    for (const std::string& path : all_specs()) {
        if (test::too_slow_under_sanitizers(path)) continue;
        SpecVerdicts v = judge_own_claims(path);
        for (const auto& claim : v.claims) {
            ++claims;
            std::string where = path + ":" + std::to_string(claim.claim.loc.line);
            INFO(where << ": the spec states " << claim.stated << "; the checker finds " << claim.found);
            if (claim.status == ClaimStatus::Undecided)
                undecided_claims.insert(std::filesystem::relative(path, std::string(CRITSEC_SOURCE_DIR) + "/specs").string() + ":" +
                                        std::to_string(claim.claim.loc.line));
            CHECK(claim.status != ClaimStatus::Refuted);
        }
        confirmed += v.confirmed;
        undecided += v.undecided;
    }
    INFO("golden: " << claims << " claims, " << confirmed << " confirmed, " << undecided << " not decided");
    CHECK(claims > 60);
    CHECK(undecided_claims == kUndecided);
    CHECK(confirmed + undecided == claims);
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

// The tutorial's programs as written (tests/cpython/programs/, copies of
// ../shared/tutorial/), read by the Python front end: each gets the verdicts its
// twin in specs/tutorial states for the properties a program without asserts
// has (lost update, deadlock, runtime error).
TEST_CASE("golden: the tutorial's Python programs, as written, get their twins' verdicts") {
    int judged = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::source_path("tests/cpython/programs"))) {
        if (entry.path().extension() != ".py" || test::too_slow_under_sanitizers(entry.path().string())) continue;
        std::string twin = test::tutorial_spec(entry.path().stem().string() + ".crit");
        Compiled program = compile_file(entry.path().string());
        Compiled spec = compile_file(twin);
        INFO(entry.path().string() << "\n" << render_all(program.source, program.diagnostics));
        REQUIRE(program.program);
        REQUIRE(spec.program);
        SpecExpectations stated = parse_expectations(spec.source);
        SpecExpectations shared;
        for (auto& x : stated.expectations)
            if (x.kind == Expectation::Kind::Verdict && (x.property == "lost-update" || x.property == "deadlock" || x.property == "runtime-error"))
                shared.expectations.push_back(x);
        CHECK(!shared.expectations.empty());
        SpecVerdicts v = judge_claims(*program.program, shared);
        for (const auto& claim : v.claims) {
            INFO(twin << ":" << claim.claim.loc.line << ": the twin states " << claim.stated << "; the program as written gets " << claim.found);
            CHECK(claim.status == ClaimStatus::Confirmed);
            ++judged;
        }
    }
    CHECK(judged >= (test::kSanitized ? 23 : 26));  // 09 (three claims) only in the optimized build
}

// The corpus of Python programs in the tutorial's style (tests/python/, not its
// pending/ folder of programs with constructs the reader does not read yet): each
// gets the verdicts, outcomes and watches its `# expect:` comments state.
TEST_CASE("golden: every Python program in tests/python gets what it states") {
    int programs = 0, claims = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::source_path("tests/python"))) {
        if (entry.path().extension() != ".py") continue;
        std::string path = entry.path().string();
        if (test::too_slow_under_sanitizers(path)) continue;
        SpecVerdicts v = judge_own_claims(path);
        for (const auto& claim : v.claims) {
            INFO(path << ":" << claim.claim.loc.line << ": the program states " << claim.stated << "; the checker finds " << claim.found);
            CHECK(claim.status == ClaimStatus::Confirmed);
            ++claims;
        }
        ++programs;
    }
    CHECK(programs >= 30);
    CHECK(claims > 200);
}
