// `critsec suite`: the main job. Its table must hold real runs against the
// model, so these tests run the binary on a folder of one spec and read what it says.
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

namespace {

struct SuiteRun {
    int status = -1;
    std::string out;
};

// A shell command's output (stderr too) and exit status.
SuiteRun shell(const std::string& cmd) {
    SuiteRun r;
    if (FILE* pipe = ::popen((cmd + " 2>&1").c_str(), "r")) {
        std::array<char, 4096> buf;
        while (size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) r.out.append(buf.data(), n);
        int status = ::pclose(pipe);
        r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    return r;
}

// `critsec suite ARGS DIR`, then the folder is removed.
SuiteRun suite_in(const std::filesystem::path& dir, const std::string& args) {
    SuiteRun r = shell(std::string(CRITSEC_BINARY) + " suite " + args + " " + dir.string());
    std::filesystem::remove_all(dir);
    return r;
}

SuiteRun suite_on(const std::string& spec_text, const std::string& args) {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("critsec-suite-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "race.crit") << spec_text;
    return suite_in(dir, args);
}

const char* kRace = R"(# expect: lost-update: VIOLATED
# expect: deadlock: PROVED
# fixed-inputs: 1 2
total = Value("i", 0)

process Adder(n):
    total.value += n

main:
    adders = [Adder(randint(1, 5)) for _ in range(2)]
    for a in adders:
        a.start()
    for a in adders:
        a.join()
    print(total.value)
)";

}  // namespace

TEST_CASE("suite: real runs are held against the outcomes predicted for the spec's fixed inputs") {
    SuiteRun r = suite_on(kRace, "-n 40 --perturb random");
    INFO(r.out);
    CHECK(r.status == 0);
    // Three totals are reachable with inputs 1 2: 3 (serial), and 1 or 2 (a lost update).
    CHECK(r.out.find("race ") != std::string::npos);
    CHECK(r.out.find("2/2") != std::string::npos);  // both claims confirmed
    CHECK(r.out.find("40 runs: ") != std::string::npos);
    CHECK(r.out.find("all predicted, seen ") != std::string::npos);
    CHECK(r.out.find("/3; 40/40 logs replay") != std::string::npos);
    CHECK(r.out.find("0 spec(s) whose runs the model does not explain") != std::string::npos);
}

TEST_CASE("suite: a refuted claim fails the suite (exit 1) and names the line") {
    std::string wrong = kRace;
    wrong.replace(wrong.find("lost-update: VIOLATED"), 21, "lost-update: PROVED  ");
    SuiteRun r = suite_on(wrong, "-n 5");
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(r.out.find("race.crit:1: refuted: the spec states `lost-update: PROVED`") != std::string::npos);
}

TEST_CASE("suite: subfolders are searched, and rows are named by their path below the folder") {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("critsec-suite-tree-" + std::to_string(::getpid()));
    fs::create_directories(dir / "alice");
    fs::create_directories(dir / "bob");
    fs::create_directories(dir / ".hidden");
    for (const char* who : {"alice", "bob", ".hidden"}) std::ofstream(dir / who / "solution.crit") << kRace;
    SuiteRun r = suite_in(dir, "-n 0");
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(r.out.find("alice/solution ") != std::string::npos);
    CHECK(r.out.find("bob/solution ") != std::string::npos);
    CHECK(r.out.find(".hidden") == std::string::npos);
    CHECK(r.out.find("2 specs, 4 claims") != std::string::npos);
}

TEST_CASE("suite: with no folder, the checkout's tutorial specs are found from any working directory") {
    // Finding them is the point, not checking them: a short budget each (09 alone takes seconds).
    std::string out = shell("cd / && " + std::string(CRITSEC_BINARY) + " suite -n 0 --timeout 3").out;
    INFO(out);
    CHECK(out.find("specs/tutorial: 13 specs") != std::string::npos);
    CHECK(out.find("10_lock ") != std::string::npos);
}

TEST_CASE("suite: several files and folders at once, each spec a row") {
    std::string tutorial = std::string(CRITSEC_SOURCE_DIR) + "/specs/tutorial/";
    SuiteRun r = shell(std::string(CRITSEC_BINARY) + " suite -n 0 " + tutorial + "01_worker.crit " + tutorial + "03_join.crit");
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(r.out.find("2 specs,") != std::string::npos);
    CHECK(r.out.find("01_worker ") != std::string::npos);
    CHECK(shell(std::string(CRITSEC_BINARY) + " suite -n 0 " + tutorial + "no-such.crit").status == 66);
}
