// `critsec replay --schedule`: the `schedule:` lines `critsec outcomes` prints,
// given back, force that interleaving on real processes and end in that
// outcome; a malformed or impossible schedule is a diagnostic and an exit
// code, never a crash. Never a timing assertion.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker/explorer/prepared_program.hpp"
#include "checker/witness/schedule_text.hpp"
#include "checker/witness/schedule_witness.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;

namespace {

struct Cli {
    std::string out;  // stdout and stderr
    int status = -1;  // the exit code; -1 when killed by a signal
};

// Single quotes around every argument (no argument here holds one).
Cli critsec_cli(const std::vector<std::string>& args) {
    std::string cmd = CRITSEC_BINARY;
    for (const auto& a : args) cmd += " '" + a + "'";
    cmd += " 2>&1";
    Cli r;
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
    REQUIRE(pipe);
    std::array<char, 4096> buf;
    while (size_t n = std::fread(buf.data(), 1, buf.size(), pipe.get())) r.out.append(buf.data(), n);
    int status = ::pclose(pipe.release());
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

struct Listed {
    std::vector<std::string> lines;  // the outcome's indented lines, as `outcomes` prints them
    std::string schedule;
};

// The outcomes of `outcomes`' text: each block's lines and its schedule line.
std::vector<Listed> listed_outcomes(const std::string& text) {
    std::vector<Listed> out;
    size_t start = 0;
    bool inside = false, continued = false;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        std::string line = text.substr(start, nl - start);
        start = nl + 1;
        if (line.rfind("outcome ", 0) == 0) {
            out.emplace_back();
            inside = true;
            continued = false;
        } else if (inside && line.rfind("  schedule: ", 0) == 0) {
            out.back().schedule = line.substr(12);
            continued = true;  // a long schedule wraps to the terminal's width, under itself
        } else if (continued && line.rfind(std::string(12, ' '), 0) == 0) {
            out.back().schedule += " " + line.substr(12);
        } else if (continued) {
            inside = continued = false;
        } else if (inside && line.rfind("    ", 0) == 0) {
            out.back().lines.push_back(line);
        }
    }
    return out;
}

// The lines under `predicted outcome (model):` in replay's text.
std::vector<std::string> predicted_lines(const std::string& text) {
    std::vector<std::string> out;
    size_t at = text.find("predicted outcome (model):\n");
    if (at == std::string::npos) return out;
    size_t start = text.find('\n', at) + 1;
    while (start < text.size() && text.compare(start, 4, "    ") == 0) {
        size_t nl = text.find('\n', start);
        out.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

const char* kInputs = "3 3 4 5 5 6 6 6 6 7";  // 07's `# fixed-inputs:`: 31 outcomes

}  // namespace

TEST_CASE("replay --schedule: every schedule line of outcomes on 07 ends in its outcome on real processes", "[replay][schedule]") {
    std::string spec = test::tutorial_spec("07_value_race.crit");
    Cli outcomes = critsec_cli({"outcomes", spec, "--inputs", kInputs});
    REQUIRE(outcomes.status == 0);
    std::vector<Listed> listed = listed_outcomes(outcomes.out);
    REQUIRE(listed.size() == 31);
    for (const auto& o : listed) {
        INFO(o.schedule);
        REQUIRE(!o.schedule.empty());
        Cli replay = critsec_cli({"replay", spec, "--schedule", o.schedule, "--inputs", kInputs});
        INFO(replay.out);
        CHECK(replay.status == 0);
        CHECK(replay.out.find("REPRODUCED") != std::string::npos);
        CHECK(predicted_lines(replay.out) == o.lines);
    }
}

TEST_CASE("outcomes --format json gives each outcome's schedule, and replay --schedule takes it", "[replay][schedule]") {
    std::string spec = test::source_path("tests/browser/lost_update.crit");
    Cli outcomes = critsec_cli({"outcomes", spec, "--format", "json"});
    REQUIRE(outcomes.status == 0);
    nlohmann::json listed = nlohmann::json::parse(outcomes.out);
    REQUIRE(listed["outcomes"].size() == 3);  // totals 1, 2 and 3
    for (const auto& o : listed["outcomes"]) {
        std::string schedule = o.at("schedule").get<std::string>();
        INFO(schedule);
        Cli replay = critsec_cli({"replay", spec, "--schedule", schedule});
        INFO(replay.out);
        CHECK(replay.status == 0);
        CHECK(replay.out.find("REPRODUCED") != std::string::npos);
    }
}

TEST_CASE("replay --schedule takes a lasso's line and the whole pasted line", "[replay][schedule]") {
    std::string spin = test::source_path("specs/coursework/spin_never_released.crit");
    Cli outcomes = critsec_cli({"outcomes", spin});
    std::vector<Listed> listed = listed_outcomes(outcomes.out);
    REQUIRE(!listed.empty());
    REQUIRE(listed[0].schedule.find("] forever") != std::string::npos);
    Cli lasso = critsec_cli({"replay", spin, "--schedule", "schedule: " + listed[0].schedule});
    INFO(lasso.out);
    CHECK(lasso.status == 0);
    CHECK(lasso.out.find("REPRODUCED") != std::string::npos);
    CHECK(lasso.out.find("livelock") != std::string::npos);
}

TEST_CASE("replay --schedule: a malformed schedule is a usage error with a caret", "[replay][schedule]") {
    std::string spec = test::tutorial_spec("07_value_race.crit");
    struct Case {
        std::string schedule, message;
    };
    for (const auto& c : std::vector<Case>{{"main.1 Adder#1.x", "--schedule:1:8: error: `Adder#1.x` is not a step"},
                                           {"", "an empty schedule"},
                                           {"main.1 [Adder#1.1", "never closed"},
                                           {"main.1 ] main.1", "a `]` with no `[`"},
                                           {"[main.1] main.1", "after the cycle's `]`"},
                                           {"main.0", "is not a step"},
                                           {"main.1 Adder#1.99999999999", "is not a step"}}) {
        INFO(c.schedule);
        Cli r = critsec_cli({"replay", spec, "--schedule", c.schedule});
        INFO(r.out);
        CHECK(r.status == 64);
        CHECK(r.out.find(c.message) != std::string::npos);
    }
}

TEST_CASE("replay --schedule: a schedule the spec cannot take is a data error naming the step", "[replay][schedule]") {
    std::string spec = test::tutorial_spec("07_value_race.crit");
    struct Case {
        std::string schedule, message;
    };
    for (const auto& c : std::vector<Case>{
             {"main.2", "--schedule:1:1: error: main stands at step 1 (line 29: start p), not at step 2"},
             {"main.1 Adder#2.1", "no process `Adder#2` at this point"},
             {"main.1 Adder#1.1 Adder#1.2 Adder#1.3 Adder#1.4 Adder#1.5 Adder#1.6 Adder#1.1", "Adder#1 has already finished"},
             {"main.1 main.1 main.1 main.1 main.1 main.2 main.2", "main cannot take step 2 (line 31: join p) here: it is blocked"},
             {"main.1 [Adder#1.1] forever", "they are no cycle"}}) {
        INFO(c.schedule);
        Cli r = critsec_cli({"replay", spec, "--schedule", c.schedule, "--inputs", kInputs});
        INFO(r.out);
        CHECK(r.status == 65);
        CHECK(r.out.find(c.message) != std::string::npos);
    }
    Cli both = critsec_cli({"replay", spec, "--schedule", "main.1", "--property", "deadlock"});
    CHECK(both.status == 64);
}

TEST_CASE("schedule_text and parse_schedule read back what they write", "[schedule]") {
    checker::Witness w;
    for (auto [who, step] : std::vector<std::pair<std::string, int>>{{"main", 1}, {"Waiter#1", 1}, {"Waiter#1", 2}}) {
        checker::TraceStep s{};
        s.process = who;
        s.step = step;
        w.steps.push_back(s);
    }
    w.cycle_from = 1;
    std::string text = checker::schedule_text(w);
    CHECK(text == "main.1 [Waiter#1.1 Waiter#1.2] forever");
    checker::ParsedSchedule parsed = checker::parse_schedule(text);
    REQUIRE(parsed.diagnostics.empty());
    REQUIRE(parsed.entries.size() == 3);
    CHECK(parsed.cycle_from == 1);
    for (size_t i = 0; i < 3; ++i) {
        CHECK(parsed.entries[i].process == w.steps[i].process);
        CHECK(parsed.entries[i].step == w.steps[i].step);
    }
    CHECK(parsed.entries[1].loc.col == 9);  // after the `[`
}

TEST_CASE("witness_of_schedule gives the instances the labels name", "[schedule]") {
    model::Program program = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    checker::PreparedProgram prepared = checker::prepare(program);
    checker::ParsedSchedule parsed = checker::parse_schedule("main.1 main.1 Adder#2.1 Adder#1.1");
    checker::ScheduledWitness w = checker::witness_of_schedule(prepared, parsed, {3, 3, 4, 5, 5, 6, 6, 6, 6, 7});
    REQUIRE(w.witness);
    REQUIRE(w.witness->steps.size() == 4);
    CHECK(w.witness->steps[2].instance == 2);
    CHECK(w.witness->steps[3].instance == 1);
}

TEST_CASE("replay: the header lines wrap to the terminal's width as the chart under them does", "[schedule]") {
    std::string cmd = std::string("COLUMNS=60 ") + CRITSEC_BINARY + " replay --color never '" + test::tutorial_spec("07_value_race.crit") + "' 2>&1";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
    REQUIRE(pipe);
    std::string out;
    std::array<char, 4096> buf;
    while (size_t n = std::fread(buf.data(), 1, buf.size(), pipe.get())) out.append(buf.data(), n);
    INFO(out);
    // The spec's path is as long as the checkout's, so where the title wraps depends on it: read it unwrapped.
    std::string unwrapped = std::regex_replace(out, std::regex("\n +"), " ");
    CHECK(unwrapped.find("07_value_race.crit: replaying assert at line 37") != std::string::npos);
    CHECK(out.find("REPRODUCED") != std::string::npos);
    // The header (up to the chart) and the verdict (from REPRODUCED on) fit; the spec's path is a word that may not.
    std::string header = out.substr(0, out.find("the real run"));
    std::string verdict = out.substr(out.find("REPRODUCED"));
    for (const std::string& part : {header, verdict}) {
        size_t start = 0;
        while (start < part.size()) {
            size_t nl = part.find('\n', start);
            std::string line = part.substr(start, nl - start);
            start = nl == std::string::npos ? part.size() : nl + 1;
            if (line.find("07_value_race.crit") == std::string::npos) CHECK(line.size() <= 60);
        }
    }
    CHECK(header.find("\n  ") != std::string::npos);  // the title wrapped, under itself
}

