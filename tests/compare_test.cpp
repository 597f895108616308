// `critsec compare`: real runs against the model's predicted outcomes, and every
// run's event log replayed in the model. Real forks; never a timing assertion.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "compare/comparison.hpp"
#include "compare/observed_outcome.hpp"
#include "compare/trace_validation.hpp"
#include "model/expectations.hpp"
#include "tests/runtime_test_support.hpp"
#include "tests/test_scale.hpp"

using namespace critsec;

namespace {

std::optional<std::vector<int64_t>> spec_inputs(const std::string& path) {
    Compiled c = compile_file(path);
    SpecExpectations e = parse_expectations(c.source);
    if (!e.fixed_inputs) return std::nullopt;
    return std::vector<int64_t>(e.fixed_inputs->begin(), e.fixed_inputs->end());
}

compare::CompareOptions quick(uint64_t runs, runtime::PerturbMode perturb, bool reuse) {
    compare::CompareOptions o;
    o.runs = runs;
    o.seed = 11;
    o.reuse = reuse;
    o.run = test::fast_options(perturb);
    o.run.time_scale = 0.0001;
    return o;
}

std::vector<std::string> tutorial_specs() {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(test::source_path("specs/tutorial")))
        if (e.path().extension() == ".crit") out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

// The checker's predictions, made once per spec and inputs for the whole test run (09's take seconds).
compare::Predictor cached_predictor(const std::string& path) {
    static std::map<std::pair<std::string, compare::PredictionInputs>, checker::OutcomeReport> cache;
    return [path](const model::Program& program, const compare::PredictionInputs& inputs) {
        auto key = std::make_pair(path, inputs);
        auto it = cache.find(key);
        if (it == cache.end()) it = cache.emplace(key, compare::explorer_predictor(8, 1'000'000)(program, inputs)).first;
        return it->second;
    };
}

compare::ComparisonReport compare_tutorial(const std::string& path, bool reuse) {
    model::Program p = test::compile_ok(path);
    compare::CompareOptions o =
        quick(reuse ? test::repeated_runs(60) : std::max(2, test::repeated_runs(8)), runtime::PerturbMode::Random, reuse);
    o.inputs = spec_inputs(path);
    o.predictor = cached_predictor(path);
    return compare::compare_spec(p, o);
}

std::string describe(const compare::ComparisonReport& r) {
    std::string out;
    for (const auto& u : r.unpredicted) out += "unpredicted: " + u.outcome + "\n" + u.chart;
    for (const auto& f : r.trace_failures)
        out += "trace: run " + std::to_string(f.index) + " seq " + std::to_string(f.check.divergence->seq) + " log `" +
               f.check.divergence->logged + "` model `" + f.check.divergence->model + "`\n";
    return out;
}

}  // namespace

TEST_CASE("compare: every tutorial spec's runs show only predicted outcomes, and every trace replays", "[compare]") {
    for (const auto& path : tutorial_specs()) {
        if (test::too_slow_under_sanitizers(path)) continue;
        // Litmus runs with random perturbation (many, cheap), then a few fork runs.
        for (bool reuse : {true, false}) {
            compare::ComparisonReport r = compare_tutorial(path, reuse);
            INFO(path << (reuse ? " (litmus)" : " (fork)") << "\n" << describe(r));
            CHECK(r.runs_without_outcome == 0);
            CHECK(r.unpredicted_runs == 0);
            CHECK(r.inconclusive_runs == 0);
            CHECK(r.model_agrees() == (r.traces_diverged == 0));
            CHECK(r.predicted_seen >= 1);
            CHECK(r.traces_checked == r.runs);
            CHECK(r.traces_diverged == 0);
            CHECK(r.traces_replayed == r.runs);
            if (spec_inputs(path)) CHECK(r.single_input_vector());
        }
    }
    CHECK(test::children_in_proc().empty());
}

TEST_CASE("compare: 09's file steps are logged in their real order, so every trace replays exactly", "[compare]") {
    // A file step takes its sequence number and makes its system calls under one lock
    // (runtime/os_world.cpp): without it 37% of 09's logs needed steps moved and 20% diverged.
    std::string path = test::tutorial_spec("09_file_race.crit");
    if (test::too_slow_under_sanitizers(path)) return;
    model::Program p = test::compile_ok(path);
    compare::CompareOptions o = quick(test::repeated_runs(300), runtime::PerturbMode::Random, true);
    o.inputs = spec_inputs(path);
    o.predictor = cached_predictor(path);
    compare::ComparisonReport r = compare::compare_spec(p, o);
    INFO(describe(r));
    CHECK(r.unpredicted_runs == 0);
    CHECK(r.traces_checked == r.runs);
    CHECK(r.traces_diverged == 0);
    CHECK(r.traces_replayed == r.runs);
}

// A try that fails is logged only once the log, too, shows the object taken (runtime/os_world.cpp):
// before, a release could be logged ahead of a failure that saw the object still held.
TEST_CASE("compare: failed tries of a Lock and a Semaphore are logged in their real order, so every trace replays exactly", "[compare]") {
    model::Program p = test::compile_text_ok(R"(
lock = Lock()
sem = Semaphore(1)
total = Value("i", 0)

process Trier(k):
    if lock.acquire(False):
        total.value += k
        lock.release()
    if sem.acquire(False):
        total.value += 10 * k
        sem.release()

main:
    ps = [Trier(i + 1) for i in range(3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
)");
    for (bool reuse : {true, false}) {
        compare::ComparisonReport r = compare::compare_spec(p, quick(test::repeated_runs(reuse ? 400 : 100), runtime::PerturbMode::Random, reuse));
        INFO((reuse ? "litmus\n" : "fork\n") << describe(r));
        // `total.value = 3` (Trier#3's sem add lost to Trier#2's stale store) is among the
        // predictions since the reduction stopped taking the semaphore's signal alone.
        CHECK(r.traces_checked == r.runs);
        CHECK(r.traces_replayed == r.runs);
        CHECK(r.unpredicted_runs == 0);
    }
}

// main's terminate() and kill() take their numbers with the announcement, under the
// step lock, and a child's load or store numbered after it does not happen: the child
// ends there, as the model ends it at its next move (runtime/os_world.cpp).
TEST_CASE("compare: children ended by terminate() and kill() while they spin are logged where the model ends them", "[compare]") {
    model::Program p = test::compile_text_ok(R"(
flag = Value("i", 0)

process Spinner():
    while flag.value == 0:
        pass

main:
    a = Spinner()
    b = Spinner()
    a.start()
    b.start()
    a.terminate()
    b.kill()
    a.join()
    b.join()
    print(a.exitcode, b.exitcode)
)");
    for (bool reuse : {true, false}) {
        compare::ComparisonReport r = compare::compare_spec(p, quick(test::repeated_runs(reuse ? 200 : 50), runtime::PerturbMode::Random, reuse));
        INFO((reuse ? "litmus\n" : "fork\n") << describe(r));
        CHECK(r.traces_checked == r.runs);
        CHECK(r.traces_replayed == r.runs);
        CHECK(r.unpredicted_runs == 0);
    }
}

TEST_CASE("compare: inputs outside a randint's range: --inputs is a usage error (64), a spec's `# fixed-inputs:` a data error (65)",
          "[compare]") {
    std::string binary = CRITSEC_BINARY;
    char tmp[] = "/tmp/critsec-compare-test-XXXXXX";
    REQUIRE(::mkdtemp(tmp) != nullptr);
    std::string dir = tmp;
    auto status = [&](const std::string& args) {
        int s = std::system(("TMPDIR=" + dir + " " + binary + " compare -n 2 " + args + " >/dev/null 2>&1").c_str());
        return WIFEXITED(s) ? WEXITSTATUS(s) : -1;
    };
    CHECK(status(test::tutorial_spec("09_file_race.crit") + " --inputs '11 4 5 6 1 1 1 1 1 1'") == 64);
    std::string spec = dir + "/bad_inputs.crit";
    std::ofstream(spec) << "# fixed-inputs: 0\n\nmain:\n    x = randint(1, 6)\n    print(x)\n";
    CHECK(status(spec) == 65);
    CHECK(status(spec + " --draw-inputs") == 0);
    CHECK(::unlink(spec.c_str()) == 0);
    CHECK(::rmdir(tmp) == 0);  // fails when a run left something behind
}

TEST_CASE("compare: the spec's fixed inputs are forced on the runs", "[compare]") {
    std::string path = test::tutorial_spec("07_value_race.crit");
    model::Program p = test::compile_ok(path);
    auto inputs = spec_inputs(path);
    REQUIRE(inputs);
    runtime::RunOptions o = test::fast_options();
    o.main_inputs = *inputs;
    for (const auto& r : test::run_many(p, 3, o)) CHECK(r.inputs == *inputs);
    // Without them each run draws its own, and says which.
    for (const auto& r : test::run_many(p, 3, test::fast_options())) CHECK(r.inputs.size() == 10);
}

TEST_CASE("compare: a model that misses an outcome is caught, with the run's seed and chart", "[compare]") {
    model::Program p = test::compile_ok(test::tutorial_spec("10_lock.crit"));
    compare::CompareOptions o = quick(20, runtime::PerturbMode::Yield, true);
    o.inputs = spec_inputs(test::tutorial_spec("10_lock.crit"));
    // A wrong model: it predicts whatever the checker does, minus the serial total.
    auto real = compare::explorer_predictor(o.bound, o.max_states);
    o.predictor = [real](const model::Program& program, const compare::PredictionInputs& inputs) {
        checker::OutcomeReport report = real(program, inputs);
        report.outcomes.erase(std::remove_if(report.outcomes.begin(), report.outcomes.end(), [](const auto& oc) { return oc.serial; }),
                              report.outcomes.end());
        return report;
    };
    compare::ComparisonReport r = compare::compare_spec(p, o);
    CHECK_FALSE(r.model_agrees());
    CHECK(r.unpredicted_runs == r.runs);
    CHECK(r.unpredicted_outcomes >= 1);
    REQUIRE_FALSE(r.unpredicted.empty());
    CHECK(r.unpredicted.front().seed == runtime::run_seed(o.seed, r.unpredicted.front().index));
    CHECK(r.unpredicted.front().chart.find("main") != std::string::npos);
    CHECK(std::any_of(r.rows.begin(), r.rows.end(), [](const auto& row) { return !row.predicted && row.observed > 0; }));
}

TEST_CASE("compare: the coverage of 07 with fixed inputs counts predicted outcomes seen", "[compare]") {
    std::string path = test::tutorial_spec("07_value_race.crit");
    model::Program p = test::compile_ok(path);
    compare::CompareOptions o = quick(100, runtime::PerturbMode::Random, true);
    o.inputs = spec_inputs(path);
    compare::ComparisonReport r = compare::compare_spec(p, o);
    REQUIRE(r.single_input_vector());
    CHECK(r.predicted == 31);
    CHECK(r.predicted_seen >= 1);
    CHECK(r.predicted_seen <= 31);
    // Every predicted outcome has a row (observed or not), with its witness.
    size_t predicted_rows = static_cast<size_t>(std::count_if(r.rows.begin(), r.rows.end(), [](const auto& row) { return row.predicted; }));
    CHECK(predicted_rows == 31);
    for (const auto& row : r.rows) CHECK_FALSE(row.witness.empty());
    CHECK(std::count_if(r.rows.begin(), r.rows.end(), [](const auto& row) { return row.serial; }) == 1);
}

TEST_CASE("trace validation: a tampered log is caught at the step where the model parts from it", "[compare]") {
    model::Program p = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    auto runs = test::run_many(p, 1, test::fast_options());
    auto exact = runs.begin();
    REQUIRE(compare::validate_trace(p, *exact, compare::observed_outcome_text(p, *exact)).verdict == compare::TraceVerdict::Replays);
    runtime::RunResult r = *exact;
    std::string observed = compare::observed_outcome_text(p, r);
    auto store = std::find_if(r.log.events.begin(), r.log.events.end(), [](const auto& e) { return e.what.rfind("store ", 0) == 0; });
    REQUIRE(store != r.log.events.end());
    store->what += "99";  // a value the model never stores
    compare::TraceCheck check = compare::validate_trace(p, r, observed);
    CHECK(check.verdict == compare::TraceVerdict::Diverges);
    REQUIRE(check.divergence);
    CHECK(check.divergence->seq == store->seq);
    CHECK(check.divergence->logged == store->what);
    CHECK(check.divergence->model.find("store total.value") != std::string::npos);

    // A log missing its last steps: the model could still go on.
    runtime::RunResult cut = *exact;
    cut.log.events.pop_back();
    compare::TraceCheck end = compare::validate_trace(p, cut, observed);
    CHECK(end.verdict == compare::TraceVerdict::Diverges);
    REQUIRE(end.divergence);
    CHECK(end.divergence->instance == -1);
}

// A livelock, a timeout or Ctrl-C stops processes that still move: the log is a prefix,
// with a hole where a step was killed between its access and its record.
TEST_CASE("trace validation: a stopped run's logged steps are replayed up to the first hole, its end not checked", "[compare]") {
    model::Program p = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    runtime::RunResult r = test::run_many(p, 1, test::fast_options()).front();
    std::string observed = compare::observed_outcome_text(p, r);
    REQUIRE(r.log.events.size() > 20);
    r.status = runtime::RunStatus::Livelock;
    r.log.events.erase(r.log.events.begin() + 15);  // the hole: steps after it are not replayed
    compare::TraceCheck stopped = compare::validate_trace(p, r, observed);
    CHECK(stopped.verdict == compare::TraceVerdict::NotChecked);
    CHECK(stopped.note.find("its first 15 logged steps replay") != std::string::npos);

    r.log.events[10].what += "99";  // a step before the hole that the model does not take
    compare::TraceCheck wrong = compare::validate_trace(p, r, observed);
    CHECK(wrong.verdict == compare::TraceVerdict::Diverges);
    REQUIRE(wrong.divergence);
    CHECK(wrong.divergence->seq == r.log.events[10].seq);
}

// A load of 07's total moved to just before the store whose value it read: the order is
// wrong, and the validator says so at that load instead of moving it back (it used to
// move up to 4 steps up to 12 places, when the runtime's log order was approximate).
TEST_CASE("trace validation: a log whose order is wrong is reported at the misplaced step, not reordered", "[compare]") {
    model::Program p = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    int tried = 0;
    for (const auto& r : test::run_many(p, 12, test::fast_options(runtime::PerturbMode::Random))) {
        std::string observed = compare::observed_outcome_text(p, r);
        REQUIRE(compare::validate_trace(p, r, observed).verdict == compare::TraceVerdict::Replays);
        const auto& events = r.log.events;
        for (size_t i = 0; i < events.size(); ++i) {
            if (events[i].what.rfind("load total.value = ", 0) != 0 || events[i].what == "load total.value = 0") continue;
            // The store it read: the last store of total.value before it.
            size_t w = i;
            while (w-- > 0 && events[w].what.rfind("store total.value = ", 0) != 0) {}
            if (w >= i || events[w].instance == events[i].instance) continue;
            bool crosses = false;  // its own process's steps and its start stay before it
            for (size_t k = w; k < i && !crosses; ++k)
                crosses = events[k].instance == events[i].instance || events[k].what.find("start") != std::string::npos;
            // The value before that store must differ, or the load replays in either place.
            std::string before = "0";
            for (size_t k = w; k-- > 0;)
                if (events[k].what.rfind("store total.value = ", 0) == 0) {
                    before = events[k].what.substr(std::string("store total.value = ").size());
                    break;
                }
            if (crosses || "load total.value = " + before == events[i].what) continue;
            runtime::RunResult wrong = r;
            runtime::LoggedEvent load = wrong.log.events[i];
            wrong.log.events.erase(wrong.log.events.begin() + static_cast<std::ptrdiff_t>(i));
            wrong.log.events.insert(wrong.log.events.begin() + static_cast<std::ptrdiff_t>(w), load);
            compare::TraceCheck check = compare::validate_trace(p, wrong, observed);
            INFO("moved `" << load.what << "` (seq " << load.seq << ") before `" << events[w].what << "`");
            CHECK(check.verdict == compare::TraceVerdict::Diverges);
            REQUIRE(check.divergence);
            CHECK(check.divergence->seq == load.seq);
            CHECK(check.divergence->logged == load.what);
            CHECK(check.divergence->model.find("load total.value = ") != std::string::npos);
            ++tried;
            break;
        }
    }
    CHECK(tried > 0);
}
