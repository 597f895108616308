// `critsec replay`: the checker's counterexamples forced onto real forked
// processes, turn by turn. Every VIOLATED property of every tutorial spec and
// 09's `71` outcome must happen for real exactly as the model predicts it.
// Never a timing assertion.
#include <catch2/catch.hpp>

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

#include "checker/explorer/progress.hpp"
#include "checker/explorer/properties.hpp"
#include "checker/outcomes.hpp"
#include "checker/witness/shortest_witness.hpp"
#include "checker/witness/witness_completion.hpp"
#include "compare/replay_match.hpp"
#include "compare/witness_schedule.hpp"
#include "model/expectations.hpp"
#include "runtime/turn_schedule.hpp"
#include "tests/runtime_test_support.hpp"
#include "tests/test_scale.hpp"

using namespace critsec;

namespace {

struct Replay {
    checker::CompletedWitness plan;
    checker::ModelEnd predicted;
    runtime::RunResult real;
    size_t taken = 0;
    compare::ReplayMatch match;
};

// Runs `turns` for real; the prediction is `plan`'s (they differ only when a test forces a wrong schedule).
Replay run_replay(const model::Program& program, const checker::CompletedWitness& plan, const runtime::ReplaySchedule& turns) {
    Replay r{plan, checker::model_end(program, plan.replayed), {}, 0, {}};
    runtime::RunOptions options = test::fast_options();
    options.time_scale = 0;
    options.turns = std::make_shared<runtime::TurnSchedule>(turns, program.total_instances() + 1);
    runtime::ForkExecutor executor(program, options);
    r.real = executor.run(0);
    r.taken = options.turns->taken();
    compare::name_pids_in_events(r.real);
    r.match = compare::match_replay(r.plan, r.predicted, r.real, r.taken);
    return r;
}

Replay replay(const model::Program& program, const checker::Witness& witness) {
    checker::PreparedProgram prepared = checker::prepare(program);
    checker::CompletedWitness plan = checker::complete_witness(prepared, witness);
    INFO(plan.problem);
    REQUIRE(plan.problem.empty());
    REQUIRE((plan.complete || witness.cycle_from >= 0));  // a lasso has no end: its processes spin on
    return run_replay(program, plan, compare::schedule_of(plan.witness));
}

// The paths of the .crit files of a folder of specs/, sorted.
std::vector<std::string> specs_in(const std::string& folder) {
    std::vector<std::string> names;
    DIR* dir = ::opendir(test::source_path("specs/" + folder).c_str());
    REQUIRE(dir != nullptr);
    while (dirent* e = ::readdir(dir)) {
        std::string n = e->d_name;
        if (n.size() > 5 && n.substr(n.size() - 5) == ".crit") names.push_back(test::source_path("specs/" + folder + "/" + n));
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
}

checker::ExplorerCheck check_spec(const model::Program& program, const std::string& path) {
    checker::ExplorerSettings settings;
    for (const auto& e : parse_expectations(compile_file(path).source).expectations)
        if (checker::is_watch(e)) settings.watches.push_back(e);
    checker::ExplorerCheck check = checker::check_with_explorer(program, settings);
    if (auto progress = checker::check_progress(checker::prepare(program), settings)) check.properties.push_back(std::move(*progress));
    checker::shorten_counterexamples(program, check.properties);  // as `check` shows them: shortened, the involved steps first
    return check;
}

// The property with this key; the test fails when the spec has none.
checker::PropertyResult property(const model::Program& program, const std::string& path, const std::string& key) {
    for (auto& p : check_spec(program, path).properties)
        if (p.key == key) return p;
    FAIL("no property " << key << " in " << path);
    throw std::logic_error("unreachable");
}

std::string explain(const Replay& r) {
    std::string out = "model: " + r.plan.replayed.outcome + "\nreal:  " + r.real.outcome() + "\n";
    for (const auto& d : r.match.differences) out += "  - " + d + "\n";
    return out + runtime::render_sequence_chart(r.real.log.events, r.real.names);
}

// Replays every VIOLATED property's counterexample of every spec of a folder; returns how many.
int replay_every_counterexample(const std::string& folder) {
    int replayed = 0;
    for (const auto& path : specs_in(folder)) {
        if (test::too_slow_under_sanitizers(path)) continue;
        model::Program program = test::compile_ok(path);
        for (const auto& property : check_spec(program, path).properties) {
            if (property.verdict != checker::Verdict::Violated || !property.witness) continue;
            Replay r = replay(program, *property.witness);
            INFO(path << ": " << property.name << " [" << property.key << "]\n" << explain(r));
            CHECK(r.match.agreed());
            CHECK(r.taken == r.plan.witness.steps.size());
            CHECK(r.real.final_state == r.predicted.state);
            ++replayed;
        }
    }
    CHECK(test::children_in_proc().empty());
    return replayed;
}

}  // namespace

TEST_CASE("replay: every counterexample of every tutorial spec happens for real as predicted", "[replay][runtime]") {
    // 07's lost update and assert, 09's lost update and runtime error at least
    CHECK(replay_every_counterexample("tutorial") >= (test::kSanitized ? 2 : 4));
}

TEST_CASE("replay: every counterexample of every coursework spec happens for real as predicted", "[replay][runtime]") {
    // the shared index's assert, the two-lock deadlock, naive flags, Peterson swapped, and two livelocks
    CHECK(replay_every_counterexample("coursework") >= 8);
}

TEST_CASE("replay: 07's lost update is real: two adders load the same total and one store overwrites the other", "[replay][runtime]") {
    std::string path = test::tutorial_spec("07_value_race.crit");
    model::Program program = test::compile_ok(path);
    checker::PropertyResult lost = property(program, path, "lost-update");
    REQUIRE(lost.witness);
    Replay r = replay(program, *lost.witness);
    INFO(explain(r));
    REQUIRE(r.match.agreed());
    // The real log has the stale store and the store it overwrote, where the model marks them.
    int stale = -1, overwritten = -1;
    for (size_t k = 0; k < r.plan.witness.steps.size(); ++k) {
        if (r.plan.witness.steps[k].lost_write) stale = static_cast<int>(k);
        if (r.plan.witness.steps[k].overwritten) overwritten = static_cast<int>(k);
    }
    REQUIRE(stale > overwritten);
    REQUIRE(overwritten >= 0);
    const auto& events = r.real.log.events;
    CHECK(events.at(stale).what.rfind("store total.value", 0) == 0);
    CHECK(events.at(overwritten).what.rfind("store total.value", 0) == 0);
    CHECK(events.at(stale).instance != events.at(overwritten).instance);
    CHECK(r.real.status == runtime::RunStatus::Error);
    CHECK(r.real.outcome().find("AssertionError: lost update") != std::string::npos);
}

TEST_CASE("replay: 09's outcome `71` (a 7 written over an 11) happens for real in shared_total.txt", "[replay][runtime]") {
    std::string path = test::tutorial_spec("09_file_race.crit");
    if (test::too_slow_under_sanitizers(path)) return;
    model::Program program = test::compile_ok(path);
    SpecExpectations e = parse_expectations(compile_file(path).source);
    REQUIRE(e.fixed_inputs);
    checker::OutcomeSettings settings;
    settings.options.fixed_inputs = std::vector<int64_t>(e.fixed_inputs->begin(), e.fixed_inputs->end());
    checker::OutcomeReport report = checker::enumerate_outcomes(program, settings);
    const checker::Outcome* found = nullptr;
    for (const auto& o : report.outcomes)
        if (o.text.find("file shared_total.txt = \"71\"\n") != std::string::npos && !found) found = &o;
    REQUIRE(found);
    Replay r = replay(program, found->witness);
    INFO(explain(r));
    CHECK(r.match.agreed());
    CHECK(std::find(r.real.final_state.begin(), r.real.final_state.end(), "file shared_total.txt = \"71\"") != r.real.final_state.end());
}

TEST_CASE("replay: a torn read happens for real: the size sampled before a write, the bytes copied after it", "[replay][runtime]") {
    model::Program program = test::compile_ok(test::source_path("specs/coursework/torn_read.crit"));
    checker::OutcomeReport report = checker::enumerate_outcomes(program, {});
    const checker::Outcome* torn = nullptr;
    for (const auto& o : report.outcomes)
        if (o.text.find("main prints: 1\n") != std::string::npos) torn = &o;
    REQUIRE(torn);
    Replay r = replay(program, torn->witness);
    INFO(explain(r));
    CHECK(r.match.agreed());
    CHECK(r.real.outcome().find("main printed \"1\"") != std::string::npos);
    // The read's two steps, with the writer's write between them.
    std::vector<std::string> steps;
    for (const auto& e : r.real.log.events) steps.push_back(e.what);
    auto size = std::find(steps.begin(), steps.end(), "read f.txt: size 1");
    auto write = std::find(steps.begin(), steps.end(), "write f.txt \"11\"");
    auto copy = std::find(steps.begin(), steps.end(), "read f.txt: got \"1\"");
    CHECK(size < write);
    CHECK(write < copy);
    CHECK(copy != steps.end());
}

TEST_CASE("replay: a schedule other than the predicted one is caught as a disagreement", "[replay][runtime]") {
    std::string path = test::tutorial_spec("07_value_race.crit");
    model::Program program = test::compile_ok(path);
    checker::PropertyResult lost = property(program, path, "lost-update");
    REQUIRE(lost.witness);
    checker::PreparedProgram prepared = checker::prepare(program);
    checker::CompletedWitness plan = checker::complete_witness(prepared, *lost.witness);
    REQUIRE(plan.complete);
    // The same draws, but only main's turns forced: the children run each whole body
    // in turn after the schedule's end, so no update is lost and the totals differ.
    runtime::ReplaySchedule serial = compare::schedule_of(plan.witness);
    serial.turns.clear();
    Replay r = run_replay(program, plan, serial);
    INFO(explain(r));
    CHECK_FALSE(r.match.agreed());
    CHECK(test::children_in_proc().empty());
}

TEST_CASE("replay: the two-lock deadlock of the coursework ends the real run as a deadlock, every child reaped", "[replay][runtime]") {
    std::string path = test::source_path("specs/coursework/two_lock_deadlock.crit");
    model::Program program = test::compile_ok(path);
    checker::PropertyResult dead = property(program, path, "deadlock");
    REQUIRE(dead.verdict == checker::Verdict::Violated);
    REQUIRE(dead.witness);
    Replay r = replay(program, *dead.witness);
    INFO(explain(r));
    CHECK(r.match.agreed());
    CHECK(r.real.status == runtime::RunStatus::Deadlock);
    CHECK_FALSE(r.predicted.blocked.empty());
    CHECK(test::children_in_proc().empty());
}

namespace {
// `critsec replay` as a user runs it, inside a private temporary folder: the run's
// folder must be gone from it afterwards (other tests running at the same time make
// their own in the shared one).
class ReplayCli {
public:
    ReplayCli() {
        char tmp[] = "/tmp/critsec-replay-test-XXXXXX";
        if (::mkdtemp(tmp)) dir_ = tmp;
    }
    bool wired() const { return !dir_.empty() && std::system((binary_ + " replay --help >/dev/null 2>&1").c_str()) == 0; }
    // The exit status; what it said on stderr is in `said`.
    int status(const std::string& args) {
        std::string err = dir_ + "/stderr";
        int s = std::system(("TMPDIR=" + dir_ + " " + binary_ + " replay " + args + " >/dev/null 2>" + err).c_str());
        std::ifstream in(err);
        said.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        ::unlink(err.c_str());
        return WIFEXITED(s) ? WEXITSTATUS(s) : -1;
    }
    bool left_nothing() const { return ::rmdir(dir_.c_str()) == 0; }
    const std::string& binary() const { return binary_; }
    std::string said;

private:
    std::string binary_ = CRITSEC_BINARY;
    std::string dir_;
};
}  // namespace

TEST_CASE("replay: `critsec replay` exits 0 on 07 and 09, 2 on 10 (nothing violated), 64 on an unknown property, 65 on a bad spec",
          "[replay][runtime]") {
    ReplayCli cli;
    if (!cli.wired()) {
        WARN("`critsec replay` is not wired into " << cli.binary() << " yet");
        cli.left_nothing();
        return;
    }
    CHECK(cli.status(test::tutorial_spec("07_value_race.crit")) == 0);
    CHECK(cli.status(test::tutorial_spec("07_value_race.crit") + " --property lost-update --format json") == 0);
    if (!test::too_slow_under_sanitizers(test::tutorial_spec("09_file_race.crit")))
        CHECK(cli.status(test::tutorial_spec("09_file_race.crit") + " --outcome 'file shared_total.txt = \"71\"'") == 0);
    CHECK(cli.status(test::tutorial_spec("10_lock.crit")) == 2);
    CHECK(cli.status(test::tutorial_spec("07_value_race.crit") + " --property no-such-thing") == 64);
    CHECK(cli.status(test::source_path("tests/bad_specs/01_unterminated_string.crit")) == 65);
    CHECK(cli.left_nothing());  // fails when a run left something behind
}

TEST_CASE("replay: --inputs outside a randint's range is a usage error (64) naming the draw's line, never an internal one",
          "[replay][runtime]") {
    ReplayCli cli;
    if (!cli.wired()) {
        WARN("`critsec replay` is not wired into " << cli.binary() << " yet");
        cli.left_nothing();
        return;
    }
    std::string spec = test::tutorial_spec("09_file_race.crit");
    // 09 draws randint(1, 10): 11 is out of range, both for a property's witness and an outcome's.
    CHECK(cli.status(spec + " --inputs '11 4 5 6 1 1 1 1 1 1'") == 64);
    CHECK_THAT(cli.said, Catch::Contains("09_file_race.crit:22: error: --inputs:"));
    CHECK(cli.status(spec + " --outcome 71 --inputs '3 4 5 6 1 1 1 1 1 0'") == 64);
    CHECK_THAT(cli.said, Catch::Contains("error: --inputs:"));
    CHECK(cli.left_nothing());
}
