// `critsec grade` end to end: a class of synthetic submissions for exercise 01
// (tests/grading/submissions/), each with the score it must get
// (tests/grading/expected_scores.txt), in every output format against golden
// files (tests/grading/golden/; CRITSEC_UPDATE_GOLDEN=1 rewrites them); and
// every exercise's reference solution against its starter.
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "grading/reports.hpp"
#include "grading/result_json.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;
namespace fs = std::filesystem;

namespace {

struct Run {
    int status = -1;
    std::string out;
};

// stdout only: stderr has the progress lines and the timing.
Run shell_run(const std::string& cmd) {
    Run r;
    if (FILE* pipe = ::popen(cmd.c_str(), "r")) {
        std::array<char, 4096> buf;
        while (size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) r.out.append(buf.data(), n);
        int status = ::pclose(pipe);
        r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    return r;
}

Run critsec_run(const std::string& args) { return shell_run(std::string(CRITSEC_BINARY) + " " + args + " 2>/dev/null"); }

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The class is graded once (the slowest part of the tests here), as JSON.
const std::string& class_json() {
    static const std::string out = [] {
        Run r = critsec_run("grade " + test::source_path("exercises/01_lost_update_lock") + " " +
                            test::source_path("tests/grading/submissions") + " --format json -j 2 --timeout 120 --max-states 100000");
        return r.out;
    }();
    return out;
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string scratch_folder() {
    std::string dir = (fs::temp_directory_path() / "critsec-junit-XXXXXX").string();
    return ::mkdtemp(dir.data()) ? dir : "";
}

// Apache Ant's JUnit schema (Windy Road, Apache-2.0) as the npm package
// junit-xml ships it, a string in its own test (tests/junit/package.json pins it).
std::string ant_junit_schema() {
    std::ifstream in(test::source_path("tests/junit/node_modules/junit-xml/src/index.test.ts"));
    std::string ts((std::istreambuf_iterator<char>(in)), {});
    std::string start = "const antJunitSchema = '";
    size_t from = ts.find(start);
    if (from == std::string::npos) return "";
    from += start.size();
    size_t to = ts.find("';\n", from);
    return to == std::string::npos ? "" : std::regex_replace(ts.substr(from, to - from), std::regex("\\\\'"), "'");
}

// The results, with the paths made relative and the times zeroed: what the golden files hold.
grading::GradeReport class_report() {
    nlohmann::json j = nlohmann::json::parse(class_json());
    grading::GradeReport report{"exercises/01_lost_update_lock/grading.txt", j.at("title").get<std::string>(), {}};
    for (auto& r : j.at("results")) {
        grading::SubmissionResult s = grading::result_from_json(r);
        s.seconds = 0;
        std::string root = test::source_path("");
        auto relative = [&](std::string text) {
            for (size_t at; (at = text.find(root)) != std::string::npos;) text.erase(at, root.size());
            return text;
        };
        s.path = relative(s.path);
        s.diagnostics = relative(s.diagnostics);
        s.message = relative(s.message);
        report.results.push_back(std::move(s));
    }
    return report;
}

void check_golden(const std::string& name, const std::string& actual) {
    std::string path = test::source_path("tests/grading/golden/" + name);
    if (std::getenv("CRITSEC_UPDATE_GOLDEN")) {
        fs::create_directories(fs::path(path).parent_path());
        std::ofstream(path, std::ios::binary) << actual;
    }
    INFO("golden file " << path << " (CRITSEC_UPDATE_GOLDEN=1 rewrites it)");
    CHECK(actual == read(path));
}

}  // namespace

// One test, so that the class is graded once (class_json() is kept for the process):
// every section runs in it.
TEST_CASE("grade: the class of exercise 01: each submission's score, the report in every format, the readers' fields") {
    SECTION("grade: each synthetic submission of exercise 01 gets its expected score and status") {
        std::map<std::string, std::pair<int, std::string>> expected;
        std::istringstream lines(read(test::source_path("tests/grading/expected_scores.txt")));
        for (std::string line; std::getline(lines, line);) {
            if (line.empty() || line[0] == '#') continue;
            std::istringstream words(line);
            std::string name, status;
            int score = -1;
            words >> name >> score >> status;  // then a comment
            expected[name] = {score, status};
        }
        REQUIRE(expected.size() >= 30);
        grading::GradeReport report = class_report();
        REQUIRE(report.results.size() == expected.size());
        for (const auto& r : report.results) {
            INFO(r.name << ": " << grading::summary_of(r));
            REQUIRE(expected.count(r.name) == 1);
            CHECK(r.score == expected[r.name].first);
            CHECK(grading::submission_status_name(r.status) == expected[r.name].second);
            CHECK(r.max_score == 10);
        }
    }
    SECTION("grade: the class's report in every format matches its golden file") {
        grading::GradeReport report = class_report();
        check_golden("class.txt", grading::render_table(report, false));
        // Within 100 columns, but for the spec's own diagnostics (compiler-style, a path first).
        std::istringstream table(grading::render_table(report, true));
        for (std::string line; std::getline(table, line);)
            if (line.find(": error: ") == std::string::npos) CHECK(line.size() <= 100);
        check_golden("class.tap", grading::render_tap(report));
        check_golden("class.junit.xml", grading::render_junit(report));
        check_golden("class.gradescope.json", grading::render_gradescope(report));
        nlohmann::json j = nlohmann::json::parse(grading::render_json(report));
        check_golden("class.json", j.dump(2) + "\n");
    }
    SECTION("grade: the class's JSON, Gradescope and JUnit outputs have the fields their readers require") {
        SECTION("JSON: every submission with its items, the points adding up") {
            nlohmann::json j = nlohmann::json::parse(class_json());
            REQUIRE(j.at("results").size() >= 30);
            for (const auto& r : j.at("results")) {
                int sum = 0;
                for (const auto& i : r.at("items")) sum += i.at("points").get<int>();
                CHECK(sum == r.at("score").get<int>());
                CHECK(r.at("max_score") == 10);
            }
        }
        SECTION("Gradescope: the fields results.json documents") {
            nlohmann::json all = nlohmann::json::parse(grading::render_gradescope(class_report()));
            REQUIRE(all.is_array());
            for (const auto& r : all) {
                REQUIRE(r.at("score").is_number());
                REQUIRE(r.at("max_score").is_number());
                CHECK(r.at("visibility") == "visible");
                double sum = 0;
                for (const auto& t : r.at("tests")) {
                    CHECK(t.at("name").is_string());
                    CHECK(t.at("score").is_number());
                    CHECK(t.at("max_score").is_number());
                    CHECK(t.at("output").is_string());
                    CHECK(t.at("visibility") == "visible");
                    sum += t.at("score").get<double>();
                }
                CHECK(sum == r.at("score").get<double>());
            }
        }
        SECTION("JUnit: valid under Apache Ant's JUnit schema, checked by xmllint") {
            std::string xml = grading::render_junit(class_report());
            std::string schema = ant_junit_schema();
            REQUIRE(!schema.empty());  // scripts/setup.sh installs tests/junit/ (npm) and xmllint (libxml2-utils)
            std::string dir = scratch_folder();
            write_file(dir + "/JUnit.xsd", schema);
            write_file(dir + "/class.junit.xml", xml);
            Run valid = shell_run("xmllint --noout --schema " + dir + "/JUnit.xsd " + dir + "/class.junit.xml 2>&1");
            INFO(valid.out);
            CHECK(valid.status == 0);
            // A report that breaks the schema is refused: the check can fail.
            std::string broken = std::regex_replace(xml, std::regex(" hostname=\"localhost\""), "", std::regex_constants::format_first_only);
            write_file(dir + "/broken.xml", broken);
            CHECK(shell_run("xmllint --noout --schema " + dir + "/JUnit.xsd " + dir + "/broken.xml 2>/dev/null").status != 0);
            fs::remove_all(dir);
            std::regex suite(R"re(<testsuite name="[^"]+" package="[^"]+" id="\d+")re");
            size_t suites = 0;
            for (auto it = std::sregex_iterator(xml.begin(), xml.end(), suite); it != std::sregex_iterator(); ++it) ++suites;
            CHECK(suites >= 30);
            CHECK(xml.find("<failure message=") != std::string::npos);
        }
    }
}


TEST_CASE("grade: every output format of the command, on two submissions, and its exit codes") {
    std::string exercise = test::source_path("exercises/01_lost_update_lock");
    std::string good = test::source_path("tests/grading/submissions/correct_with_lock.crit");
    std::string racy = test::source_path("tests/grading/submissions/racy_starter.crit");
    Run text = critsec_run("grade " + exercise + " " + good + " " + racy);
    CHECK(text.status == 1);
    CHECK(text.out.find("10/10  full marks") != std::string::npos);
    Run full = critsec_run("grade " + exercise + " " + good + " --format gradescope");
    CHECK(full.status == 0);
    CHECK(nlohmann::json::parse(full.out).at("score") == 10);
    Run tap = critsec_run("grade " + exercise + " " + racy + " --format tap");
    CHECK(tap.out.rfind("TAP version 13\n1..", 0) == 0);
    CHECK(tap.out.find("not ok") != std::string::npos);
    Run junit = critsec_run("grade " + exercise + " " + racy + " --format junit");
    CHECK(junit.out.find("<testsuites") != std::string::npos);
    CHECK(critsec_run("grade " + exercise + " " + test::source_path("tests/grading/no-such.crit")).status == 66);
    CHECK(critsec_run("grade " + test::source_path("tests/grading") + " " + good).status == 66);
}

TEST_CASE("grade: a submission past its time is UNKNOWN with no credit, and the batch goes on") {
    std::string exercise = test::source_path("exercises/01_lost_update_lock");
    Run r = critsec_run("grade " + exercise + " " + test::source_path("tests/grading/submissions/too_slow.crit") + " " +
                        test::source_path("tests/grading/submissions/correct_with_lock.crit") + " --format json --timeout 1 --max-states 100000000");
    nlohmann::json j = nlohmann::json::parse(r.out);
    REQUIRE(j.at("results").size() == 2);
    CHECK(j["results"][0]["status"] == "out-of-budget");
    CHECK(j["results"][0]["score"] == 0);
    CHECK(j["results"][0]["message"].get<std::string>().find("UNKNOWN") == 0);
    CHECK(r.status == 1);
}

TEST_CASE("grade: every exercise's solution gets full marks and its starter does not") {
    size_t exercises = 0;
    for (const auto& e : fs::directory_iterator(test::source_path("exercises"))) {
        if (!e.is_directory()) continue;
        ++exercises;
        std::string dir = e.path().string();
        INFO(dir);
        Run solution = critsec_run("grade " + dir + "/ " + dir + "/solution.crit --format json");
        INFO(solution.out);
        REQUIRE(solution.status == 0);
        nlohmann::json s = nlohmann::json::parse(solution.out);
        CHECK(s["results"][0]["score"] == s["results"][0]["max_score"]);
        Run starter = critsec_run("grade " + dir + "/ " + dir + "/starter.crit --format json");
        INFO(starter.out);
        CHECK(starter.status == 1);
        nlohmann::json t = nlohmann::json::parse(starter.out);
        CHECK(t["results"][0]["score"] < t["results"][0]["max_score"]);
        CHECK(fs::exists(e.path() / "README.md"));
    }
    CHECK(exercises >= 4);
}
