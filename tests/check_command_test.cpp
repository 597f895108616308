// `critsec check` as a student uses it: several specs at once (the exit status
// the one that says most), and the spec's own `# expect:` lines judged and shown.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include <nlohmann/json.hpp>

#include "tests/command_output.hpp"
#include "tests/spec_paths.hpp"

namespace {

using Ran = critsec::test::CommandOutput;

Ran run_critsec(const std::string& args) {
    return critsec::test::command_output(fmt::format("COLUMNS=100 '{}' {} 2>/dev/null", CRITSEC_BINARY, args));
}

// A copy of a tutorial spec with one claim changed, in a folder removed at the end.
struct EditedSpec {
    std::filesystem::path dir = std::filesystem::temp_directory_path() / fmt::format("critsec_check_test_{}", ::getpid());
    std::filesystem::path path = dir / "10_lock_claims_edited.crit";
    EditedSpec(const std::string& from, const std::string& to) {
        std::filesystem::create_directories(dir);
        std::ifstream in(critsec::test::tutorial_spec("10_lock.crit"));
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        text.replace(text.find(from), from.size(), to);
        std::ofstream(path) << text;
    }
    ~EditedSpec() { std::filesystem::remove_all(dir); }
};

}  // namespace

TEST_CASE("check: several specs, each checked on its own, the exit status the one that says most") {
    Ran r = run_critsec(fmt::format("check --color never '{}' '{}'", critsec::test::tutorial_spec("10_lock.crit"),
                                critsec::test::tutorial_spec("07_value_race.crit")));
    INFO(r.out);
    CHECK(r.out.find("10_lock.crit: every interleaving and input") != std::string::npos);
    CHECK(r.out.find("07_value_race.crit: ") != std::string::npos);
    CHECK(r.status == 1);  // 07's lost update
    Ran broken = run_critsec(fmt::format("check '{}' '{}'", critsec::test::tutorial_spec("10_lock.crit"),
                                     critsec::test::source_path("tests/bad_specs/77_print_keywords.crit")));
    CHECK(broken.status == 65);
    CHECK(broken.out.find("10_lock.crit: every interleaving and input") != std::string::npos);  // the good one is still checked
}

TEST_CASE("check: the spec's own claims are judged and shown, and a refuted one makes the exit 1") {
    Ran held = run_critsec(fmt::format("check --color never '{}'", critsec::test::tutorial_spec("10_lock.crit")));
    INFO(held.out);
    CHECK(held.status == 0);
    CHECK(held.out.find("claims stated in the spec (# expect: lines):") != std::string::npos);
    CHECK(held.out.find("  confirmed  line 6    assert: PROVED\n") != std::string::npos);
    CHECK(held.out.find("outcomes: 1") != std::string::npos);
    CHECK(held.out.find("refuted") == std::string::npos);

    EditedSpec edited("# expect: assert: PROVED", "# expect: assert: VIOLATED");
    Ran cheated = run_critsec(fmt::format("check --color never '{}'", edited.path.string()));
    INFO(cheated.out);
    CHECK(cheated.status == 1);  // every property holds, but a claim is wrong
    CHECK(cheated.out.find("  refuted    line 6    assert: VIOLATED; the checker finds PROVED") != std::string::npos);
}

TEST_CASE("check: --format json with several specs is an array, each with its claims") {
    Ran r = run_critsec(fmt::format("check --format json '{}' '{}'", critsec::test::tutorial_spec("10_lock.crit"),
                                critsec::test::tutorial_spec("01_worker.crit")));
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.is_array());
    REQUIRE(j.size() == 2);
    CHECK(j[0]["claims"].size() == 6);
    CHECK(j[0]["claims"][1]["status"] == "confirmed");
    CHECK(j[0]["claims"][1]["stated"] == "assert: PROVED");
    Ran one = run_critsec(fmt::format("check --format json '{}'", critsec::test::tutorial_spec("10_lock.crit")));
    CHECK(nlohmann::json::parse(one.out).is_object());  // one spec: its object, as always
}

TEST_CASE("check: the steps a counterexample's violation does not depend on are folded, --full-trace draws them, JSON lists them") {
    std::string spec = critsec::test::source_path("specs/coursework/bystanders.crit");
    Ran folded = run_critsec(fmt::format("check --color never '{}'", spec));
    INFO(folded.out);
    CHECK(folded.status == 1);
    CHECK(folded.out.find("     ~~ rows 10-11 folded: 2 steps of Logger#1 and Logger#2, not involved\n  12 | main ") != std::string::npos);
    CHECK(folded.out.find("(not involved: steps the violation does not depend on; --full-trace draws every step)") != std::string::npos);
    CHECK(folded.out.find("| Logger#1 | 1: error: IndexError") == std::string::npos);
    Ran full = run_critsec(fmt::format("check --color never --full-trace '{}'", spec));
    INFO(full.out);
    CHECK(full.out.find("  10 | Logger#1 | 1: error: IndexError") != std::string::npos);
    CHECK(full.out.find("folded") == std::string::npos);
    auto j = nlohmann::json::parse(run_critsec(fmt::format("check --format json '{}'", spec)).out);
    for (const auto& p : j["properties"]) {
        if (p["key"] == "assert@35") {
            CHECK(p["folded_rows"] == nlohmann::json::array({10, 11}));
            CHECK(p["witness"]["states"].size() == 17);  // the start, then every one of the 16 steps
        }
        if (p["key"] == "lost-update") CHECK(p["folded_rows"].empty());
    }
}
