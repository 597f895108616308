// Progress (checker/explorer/progress.hpp): an execution that runs forever
// under weak fairness is found with a lasso that replays as a cycle; busy
// waits another process ends are proved; a state space with no end is UNKNOWN.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "checker/engines.hpp"
#include "checker/explorer/prepared_program.hpp"
#include "checker/explorer/progress.hpp"
#include "checker/explorer/replay.hpp"
#include "checker/outcomes.hpp"
#include "checker/witness/trace_render.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;
using namespace critsec::checker;

namespace {

std::optional<PropertyResult> progress_of(const std::string& text, size_t max_states = 1'000'000) {
    model::Program program = test::compile_text_ok(text);
    ExplorerSettings settings;
    settings.max_states = max_states;
    return check_progress(prepare(program), settings);
}

// The lasso replays on the concrete semantics and its cycle comes back to the state it began in.
void check_lasso(const std::string& text, const PropertyResult& r) {
    REQUIRE(r.witness);
    const Witness& w = *r.witness;
    REQUIRE(w.cycle_from >= 0);
    REQUIRE(static_cast<size_t>(w.cycle_from) < w.steps.size());
    model::Program program = test::compile_text_ok(text);
    PreparedProgram prepared = prepare(program);
    Replayed replayed = replay_witness(prepared, w, /*fingerprint_rows=*/true);
    REQUIRE(replayed.ok);
    CHECK(replayed.fingerprints.at(w.cycle_from) == replayed.fingerprints.back());
    CHECK(replayed.outcome.empty());  // somebody can still move: not an end
}

const char* kNeverReleased = R"(
ready = Value("i", 0)

process Waiter():
    while ready.value == 0:
        pass

main:
    w = Waiter()
    w.start()
    w.join()
)";

const char* kReleased = R"(
ready = Value("i", 0)

process Waiter():
    while ready.value == 0:
        sleep(0)

process Setter():
    ready.value = 1

main:
    w = Waiter()
    s = Setter()
    w.start()
    s.start()
    w.join()
    s.join()
)";

const char* kPeterson = R"(
flag = Array("i", [0, 0])
turn = Value("i", 0)
total = Value("i", 0)

process Worker(me, x):
    other = 1 - me
    flag[me] = 1
    turn.value = other
    while flag[other] == 1 and turn.value == other:
        pass
    total.value += x
    flag[me] = 0

main:
    a = Worker(0, 1)
    b = Worker(1, 2)
    a.start()
    b.start()
    a.join()
    b.join()
)";

// Both raise their flags, then each waits for the other's to fall.
const char* kFlagsLivelock = R"(
flag = Array("i", [0, 0])

process Worker(me):
    other = 1 - me
    flag[me] = 1
    while flag[other] == 1:
        pass
    flag[me] = 0

main:
    a = Worker(0)
    b = Worker(1)
    a.start()
    b.start()
    a.join()
    b.join()
)";

}  // namespace

TEST_CASE("progress: a spin-wait nobody releases runs forever, with a lasso that replays as a cycle") {
    auto r = progress_of(kNeverReleased);
    REQUIRE(r);
    CHECK(r->key == "progress");
    CHECK(r->verdict == Verdict::Violated);
    CHECK(r->detail ==
          "Waiter#1 (line 5) moves forever without finishing, while main (line 11) waits for good: an execution that never "
          "ends (weak fairness: a process able to move all along eventually moves)");
    check_lasso(kNeverReleased, *r);
}

TEST_CASE("progress: the chart marks the lasso's cycle and ITF gives its loop index") {
    auto r = progress_of(kNeverReleased);
    REQUIRE(r);
    REQUIRE(r->witness);
    model::Program program = test::compile_text_ok(kNeverReleased);
    std::string chart = chart_of(program, *r->witness);
    CHECK_THAT(chart, Catch::Contains("~~ from here on, rows 2-2 repeat forever ~~"));
    CHECK_THAT(chart, Catch::Contains("~~ back to the state before row 2: the cycle repeats forever ~~"));
    CHECK(itf_of(program, *r->witness, "progress")["loop"] == 1);
}

TEST_CASE("progress: two processes each waiting for the other's flag livelock; both are named") {
    auto r = progress_of(kFlagsLivelock);
    REQUIRE(r);
    CHECK(r->verdict == Verdict::Violated);
    CHECK_THAT(r->detail, Catch::StartsWith("Worker#1 (line 7) and Worker#2 (line 7) move forever"));
    check_lasso(kFlagsLivelock, *r);
}

TEST_CASE("progress: busy waits that another process ends are proved (weak fairness)") {
    for (const char* spec : {kReleased, kPeterson}) {
        auto r = progress_of(spec);
        REQUIRE(r);
        INFO(spec << r->detail);
        CHECK(r->verdict == Verdict::Proved);
        CHECK_FALSE(r->witness);
    }
}

TEST_CASE("progress: a spec without while loops has no progress property (every execution ends or deadlocks)") {
    auto r = progress_of(R"(
total = Value("i", 0)

process Adder():
    for i in range(3):
        total.value += 1

main:
    a = Adder()
    a.start()
    a.join()
)");
    CHECK_FALSE(r);
}

TEST_CASE("progress: a state space with no end leaves progress UNKNOWN, never PROVED") {
    auto r = progress_of(R"(
n = Value("i", 0)
stop = Value("i", 0)

process Counter():
    while stop.value == 0:
        n.value += 1

process Stopper():
    stop.value = 1

main:
    c = Counter()
    s = Stopper()
    c.start()
    s.start()
    c.join()
    s.join()
)",
                         2'000);
    REQUIRE(r);
    CHECK(r->verdict == Verdict::Unknown);
    CHECK_THAT(r->detail, Catch::Contains("met no end in 2000 states"));
}

TEST_CASE("progress: a spinner holding a lock another process waits for is a livelock, not a deadlock") {
    auto r = progress_of(R"(
lock = Lock()
ready = Value("i", 0)

process Spinner():
    lock.acquire()
    while ready.value == 0:
        sleep(0)
    lock.release()

process Setter():
    lock.acquire()
    ready.value = 1
    lock.release()

main:
    a = Spinner()
    b = Setter()
    a.start()
    b.start()
    a.join()
    b.join()
)");
    REQUIRE(r);
    CHECK(r->verdict == Verdict::Violated);
    CHECK_THAT(r->detail, Catch::Contains("Spinner#1 (line 7) moves forever"));
    CHECK_THAT(r->detail, Catch::Contains("Setter#1 (line 12) wait"));
}

TEST_CASE("progress: outcomes list an execution that never ends as the text a real run stopped in it shows") {
    model::Program program = test::compile_text_ok(kFlagsLivelock);
    OutcomeReport report = enumerate_outcomes(program, OutcomeSettings{});
    REQUIRE(report.complete);
    REQUIRE(report.outcomes.size() == 2);
    CHECK(report.outcomes[0].text == "flag = [0, 0]\n");
    CHECK(report.outcomes[0].witness.cycle_from == -1);
    CHECK(report.outcomes[1].text == "flag = [1, 1]\nlivelock: Worker#1, Worker#2 spinning; main blocked\n");
    CHECK(report.outcomes[1].witness.cycle_from >= 0);
    CHECK_FALSE(report.outcomes[1].serial);
}

TEST_CASE("progress: Z3's BOUNDED (loops unrolled to --bound) does not stop the explorer from deciding progress", "[livelock]") {
    // Z3 unrolled Peterson's waits once and said BOUNDED; that says nothing of the
    // states, which are finite: the explorer still searches the whole graph.
    model::Program program = test::compile_ok(test::source_path("specs/coursework/peterson.crit"));
    ExplorerSettings settings;
    settings.options.bound = 1;
    SpecCheck check = check_spec(program, settings, Engine::Z3);
    auto progress = std::find_if(check.properties.begin(), check.properties.end(),
                                 [](const PropertyResult& p) { return p.kind == PropertyKind::Progress; });
    REQUIRE(progress != check.properties.end());
    INFO(progress->detail);
    CHECK(progress->verdict == Verdict::Proved);
    for (const auto& p : check.properties)
        if (p.kind != PropertyKind::Progress) CHECK(p.verdict != Verdict::Violated);
}
