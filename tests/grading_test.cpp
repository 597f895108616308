// The grading layer in-process: the grading file's syntax, the forbidden
// constructs, and the checker's vacuity rule (an assert no execution reaches
// is UNREACHED, and an `assert: PROVED` claim on it, or on a spec with no
// assert, is refuted), which grading relies on.
#include <signal.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <map>
#include <stdexcept>

#include "checker/claims.hpp"
#include "grading/child_pool.hpp"
#include "grading/forbidden_constructs.hpp"
#include "grading/grading_file.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;

namespace {

const char* kAdders = R"(total = Value("i", 0)
lock = Lock()

process Adder(n):
    with lock:
        total.value += n

main:
    adders = [Adder(k) for k in range(1, 4)]
    for a in adders:
        a.start()
    for a in adders:
        a.join()
    assert total.value == 6, "lost update"
)";

checker::SpecVerdicts judge(const std::string& text, const std::string& claims) {
    Compiled c = compile_source("spec.crit", claims + text);
    INFO(render_all(c.source, c.diagnostics));
    REQUIRE(c.program);
    return checker::judge_claims(*c.program, parse_expectations(c.source));
}

// Where a spec (which must compile) uses the construct.
std::optional<std::string> construct_in(const std::string& text, grading::Construct construct) {
    Compiled c = compile_source("spec.crit", text);
    INFO(render_all(c.source, c.diagnostics));
    REQUIRE(c.program);
    return grading::find_construct(*c.program, construct);
}

}  // namespace

TEST_CASE("grading file: claims with points, requirements, hints and settings") {
    auto g = grading::parse_grading_file("grading.txt", R"(# a comment
title: Lost update
timeout: 12.5
max-states: 1000
fixed-inputs: 1 2 3
require: overlap Adder: sometimes
  hint: start them all first
forbid: join-before-start
require: min-outcomes: 2
claim 4: assert: PROVED
  hint: use a lock
  hint: around both steps
claim 1: outcome: total.value = 6
)");
    INFO(render_all(g.source, g.diagnostics));
    REQUIRE(g.diagnostics.empty());
    CHECK(g.file.title == "Lost update");
    CHECK(*g.file.seconds == 12.5);
    CHECK(*g.file.max_states == 1000);
    CHECK(g.file.fixed_inputs->size() == 3);
    REQUIRE(g.file.requirements.size() == 3);
    CHECK(g.file.requirements[0].hint == "start them all first");
    CHECK(std::holds_alternative<grading::Construct>(g.file.requirements[1].what));
    CHECK(std::get<grading::MinOutcomes>(g.file.requirements[2].what).count == 2);
    REQUIRE(g.file.claims.size() == 2);
    CHECK(g.file.claims[0].points == 4);
    CHECK(g.file.claims[0].hint == "use a lock around both steps");
    CHECK(g.file.claims[1].claim.kind == Expectation::Kind::Outcome);
    CHECK(g.file.max_score() == 5);
}

TEST_CASE("grading file: a malformed line is a diagnostic at its line, in the spec's claim syntax") {
    auto g = grading::parse_grading_file("grading.txt", "claim 2: assert: FINE\nforbid: sleep\nhint: orphan\nclaim x: deadlock: PROVED\nwho: me\n");
    REQUIRE(g.diagnostics.size() == 5);
    CHECK(g.diagnostics[0].loc.line == 1);
    CHECK(g.diagnostics[0].message.find("malformed expectation") != std::string::npos);
    CHECK(g.diagnostics[1].message.find("cannot forbid") != std::string::npos);
    CHECK(g.diagnostics[2].message.find("hint belongs") != std::string::npos);
    CHECK(g.diagnostics[3].loc.line == 4);
    CHECK(g.diagnostics[4].message.find("unknown key") != std::string::npos);
    CHECK(grading::parse_grading_file("g.txt", "title: nothing\n").diagnostics.size() == 1);
    CHECK(grading::load_grading_file(test::source_path("tests/grading/no-such-folder")).diagnostics.front().loc.line == 0);
}

TEST_CASE("forbidden constructs: a join from which a start is reachable, in a loop or written out") {
    auto find = [](const std::string& text) { return construct_in(text, grading::Construct::JoinBeforeStart); };
    CHECK(!find(kAdders));
    std::string serial = R"(process P():
    pass

main:
    ps = [P() for _ in range(2)]
    for p in ps:
        p.start()
        p.join()
)";
    auto found = find(serial);
    REQUIRE(found);
    CHECK(found->find("line 8") != std::string::npos);
    CHECK(find("process P():\n    pass\n\nmain:\n    a = P()\n    b = P()\n    a.start()\n    a.join()\n    b.start()\n    b.join()\n"));
}

TEST_CASE("forbidden constructs: a Lock, a Semaphore or a Value's get_lock()") {
    auto find = [](const std::string& text) { return construct_in(text, grading::Construct::Locks); };
    auto found = find(kAdders);
    REQUIRE(found);
    CHECK(found->find("`lock` at line 2 is a Lock") != std::string::npos);
    CHECK(find("total = Value(\"i\", 0)\n\nprocess P():\n    with total.get_lock():\n        total.value += 1\n\nmain:\n    p = P()\n    p.start()\n    p.join()\n"));
    CHECK(!find("total = Value(\"i\", 0)\n\nprocess P():\n    total.value += 1\n\nmain:\n    p = P()\n    p.start()\n    p.join()\n"));
}

TEST_CASE("vacuity: an assert no execution reaches is UNREACHED, whichever engine proved it") {
    std::string guarded = kAdders;
    guarded.replace(guarded.find("    assert"), 0, "    if total.value < 0:\n    ");
    Compiled c = compile_source("spec.crit", guarded);
    INFO(render_all(c.source, c.diagnostics));
    REQUIRE(c.program);
    for (auto engine : {checker::Engine::Auto, checker::Engine::Explorer, checker::Engine::Z3}) {
        checker::SpecCheck check = checker::check_spec(*c.program, {}, engine);
        auto v = checker::verdict_of_kind(check, checker::PropertyKind::Assert);
        REQUIRE(v);
        CHECK(*v == checker::Verdict::Unreached);
    }
    // Reached, it stays PROVED.
    Compiled ok = compile_source("spec.crit", kAdders);
    CHECK(*checker::verdict_of_kind(checker::check_spec(*ok.program, {}, checker::Engine::Auto), checker::PropertyKind::Assert) ==
          checker::Verdict::Proved);
}

TEST_CASE("vacuity: an assert after a deadlock is UNREACHED, and `assert: PROVED` on it is refuted") {
    std::string stuck = kAdders;
    stuck.replace(stuck.find("    for a in adders:\n        a.start()"), 0, "    lock.acquire()\n");
    auto v = judge(stuck, "# expect: assert: PROVED\n");
    REQUIRE(v.claims.size() == 1);
    CHECK(v.claims[0].status == checker::ClaimStatus::Refuted);
    CHECK(v.claims[0].found.find("UNREACHED") != std::string::npos);
}

TEST_CASE("vacuity: `assert: PROVED` on a spec with no assert is refuted") {
    std::string none = kAdders;
    none.erase(none.find("    assert"));
    auto v = judge(none, "# expect: assert: PROVED\n# expect: lost-update: PROVED\n");
    REQUIRE(v.claims.size() == 2);
    CHECK(v.claims[0].status == checker::ClaimStatus::Refuted);
    CHECK(v.claims[0].found == "no assert: the spec has none");
    CHECK(v.claims[1].status == checker::ClaimStatus::Confirmed);
}

TEST_CASE("child pool: a child past its limit is killed, a crash and an exception are reported, the others finish") {
    std::map<size_t, grading::ChildEnd> ends;
    grading::run_in_children(
        4, 2, 1.0,
        [](size_t i) -> std::string {
            if (i == 0) ::sleep(60);  // stalls: killed at the limit
            if (i == 1) ::raise(SIGKILL);
            if (i == 2) throw std::runtime_error("no result");
            return "result " + std::to_string(i);
        },
        [&](size_t i, grading::ChildEnd end) { ends[i] = std::move(end); });
    REQUIRE(ends.size() == 4);
    CHECK(ends[0].how == grading::ChildEnd::How::TimedOut);
    CHECK(ends[1].how == grading::ChildEnd::How::Signalled);
    CHECK(ends[1].code == SIGKILL);
    CHECK(ends[2].how == grading::ChildEnd::How::Exited);
    CHECK(ends[2].code == 3);
    CHECK(ends[2].output == "no result");
    CHECK(ends[3].how == grading::ChildEnd::How::Exited);
    CHECK(ends[3].code == 0);
    CHECK(ends[3].output == "result 3");
}
