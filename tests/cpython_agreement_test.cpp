// CPython is the ground truth: every tutorial program in tests/cpython/programs
// runs under python3 (tests/cpython/tutorial_harness.py) with its randint draws
// fixed or recorded, and every outcome CPython shows must be one that the
// matching spec in specs/tutorial predicts for those inputs.
//
// What is compared is what both sides can see: every line main printed, in
// order, main's failure, and the children's failure
// messages (as a multiset: CPython does not say which child failed). A spec's
// `assert` has no counterpart in the Python programs, so AssertionError
// failures are left out on the model's side.
//
// How a Python run's inputs become a spec's inputs: main's draws, in order,
// are the spec's inputs (`# fixed-inputs:` forces them on the Python run too).
// 08 draws in its children, one each; the harness forces the k-th child's
// draw, and those draws, in the children's creation order, are the spec's
// inputs (the spec draws them in main, so that the checker sees them as inputs).
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "checker/outcomes.hpp"
#include "model/expectations.hpp"
#include "tests/spec_paths.hpp"
#include "tests/test_scale.hpp"

using namespace critsec;

namespace {

struct Signature {
    std::vector<std::string> main_prints;
    std::string main_failure;  // "" when main ended normally
    std::multiset<std::string> child_failures;
    bool operator<(const Signature& o) const {
        return std::tie(main_prints, main_failure, child_failures) < std::tie(o.main_prints, o.main_failure, o.child_failures);
    }
};

std::string describe(const Signature& s) {
    std::string out;
    for (const auto& l : s.main_prints) out += "  main prints: " + l + "\n";
    if (!s.main_failure.empty()) out += "  main failed: " + s.main_failure + "\n";
    for (const auto& f : s.child_failures) out += "  a child failed: " + f + "\n";
    return out.empty() ? "  (nothing printed, no failure)\n" : out;
}

bool is_assert_failure(const std::string& message) { return message.rfind("AssertionError", 0) == 0; }

Signature signature_of(const std::string& outcome_text) {
    static const std::regex child_failed(R"(^\S+#\d+ failed: (.*)$)");
    Signature s;
    std::istringstream in(outcome_text);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        if (line.rfind("main prints: ", 0) == 0) s.main_prints.push_back(line.substr(13));
        else if (line.rfind("main failed: ", 0) == 0 && !is_assert_failure(line.substr(13))) s.main_failure = line.substr(13);
        else if (std::regex_match(line, m, child_failed) && !is_assert_failure(m[1])) s.child_failures.insert(m[1]);
    }
    return s;
}

std::string python3() {
    for (const char* dir : {"/usr/bin", "/usr/local/bin", "/bin"}) {
        std::string p = std::string(dir) + "/python3";
        if (std::filesystem::exists(p)) return p;
    }
    return "";
}

std::string join_ints(const std::vector<int64_t>& xs) {
    std::string out;
    for (auto x : xs) out += (out.empty() ? "" : " ") + std::to_string(x);
    return out;
}

// Runs the harness; one JSON object per run.
std::vector<nlohmann::json> run_cpython(const std::string& python, const std::string& program, int runs, const std::string& main_draws,
                                        const std::string& child_draws) {
    std::string cmd = fmt::format("cd /tmp && '{}' '{}' '{}' --runs {} --main-draws '{}' --child-draws '{}' --sleep-scale 0.002", python,
                                  test::source_path("tests/cpython/tutorial_harness.py"), program, runs, main_draws, child_draws);
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
    REQUIRE(pipe);
    std::vector<nlohmann::json> out;
    std::string line;
    char buf[4096];
    while (fgets(buf, sizeof buf, pipe.get())) {
        line += buf;
        if (!line.empty() && line.back() == '\n') {
            out.push_back(nlohmann::json::parse(line));
            line.clear();
        }
    }
    return out;
}

}  // namespace

TEST_CASE("cpython agreement: every outcome CPython shows for a tutorial program is predicted by its spec", "[cpython]") {
    std::string python = python3();
    if (python.empty()) {
        WARN("python3 not found: the CPython agreement test is skipped (scripts/setup.sh installs it)");
        return;
    }
    const int kRuns = 6;  // per program, and per forced input vector for 08
    std::mt19937 rng(2026);
    int checked = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::source_path("tests/cpython/programs"))) {
        std::string stem = entry.path().stem().string();
        std::string spec = test::tutorial_spec(stem + ".crit");
        if (test::too_slow_under_sanitizers(spec)) continue;
        INFO("program " << entry.path().string() << ", spec " << spec);
        REQUIRE(std::filesystem::exists(spec));
        Compiled compiled = compile_file(spec);
        REQUIRE(compiled.program);
        SpecExpectations ex = parse_expectations(compiled.source);

        bool child_draws = stem == "08_array";
        std::string forced_main;
        if (ex.fixed_inputs) forced_main = join_ints(std::vector<int64_t>(ex.fixed_inputs->begin(), ex.fixed_inputs->end()));
        std::vector<std::pair<std::vector<int64_t>, nlohmann::json>> runs;  // spec inputs, CPython's run
        if (child_draws) {
            for (int round = 0; round < 2; ++round) {
                std::vector<int64_t> draws;
                for (int k = 0; k < 5; ++k) draws.push_back(std::uniform_int_distribution<int>(1, 10)(rng));
                for (auto& r : run_cpython(python, entry.path().string(), kRuns / 2, "", join_ints(draws))) runs.emplace_back(draws, r);
            }
        } else {
            for (auto& r : run_cpython(python, entry.path().string(), kRuns, forced_main, ""))
                runs.emplace_back(r["main_draws"].get<std::vector<int64_t>>(), r);
        }
        REQUIRE(runs.size() == static_cast<size_t>(kRuns));

        std::map<std::vector<int64_t>, std::set<Signature>> predicted;
        for (const auto& [inputs, run] : runs) {
            if (!predicted.count(inputs)) {
                checker::OutcomeSettings settings;
                settings.options.fixed_inputs = inputs;
                checker::OutcomeReport report = checker::enumerate_outcomes(*compiled.program, settings);
                INFO("inputs " << join_ints(inputs) << ": " << report.incomplete);
                REQUIRE(report.complete);
                auto& set = predicted[inputs];
                for (const auto& o : report.outcomes) set.insert(signature_of(o.text));
            }
            Signature seen;
            seen.main_prints = run["main_prints"].get<std::vector<std::string>>();
            if (!run["main_failure"].is_null()) seen.main_failure = run["main_failure"].get<std::string>();
            for (const auto& f : run["child_failures"]) seen.child_failures.insert(f.get<std::string>());
            std::string all;
            for (const auto& s : predicted[inputs]) all += "----\n" + describe(s);
            INFO("inputs " << join_ints(inputs) << "\nCPython showed:\n" << describe(seen) << "the spec predicts:\n" << all);
            CHECK(predicted[inputs].count(seen) == 1);
            ++checked;
        }
    }
    CHECK(checked >= (test::kSanitized ? 11 : 12) * kRuns);
}
