// Hostile and careless specs (tests/hostile_specs/), each run through the real
// binary as a student's would be. Each spec states the commands it is run with
// and what each must end with:
//
//   # cli: <arguments> => <exit code>: <text the output must hold>
//   # address-space-mb: N     (optional: the command runs under `ulimit -v`)
//   # sanitized: skip ...     (optional: not under the sanitizers, and why)
//
// Whatever it states, every command must end by itself (the test kills it after
// two minutes and fails), never by a signal, never with exit 70 (a bug of ours),
// and must leave nothing in its TMPDIR.
#include <catch2/catch.hpp>
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/runtime_test_support.hpp"
#include "tests/spec_paths.hpp"

namespace {

namespace fs = std::filesystem;

struct Command {
    std::vector<std::string> args;
    int exit_code;
    std::string shows;
};

struct HostileSpec {
    std::string path;
    std::vector<Command> commands;
    long address_space_mb = 0;
    bool skip_sanitized = false;
};

HostileSpec read_spec(const fs::path& path) {
    static const std::regex cli(R"(^# cli: (.*) => (\d+): (.*)$)");
    static const std::regex address_space(R"(^# address-space-mb: (\d+)$)");
    HostileSpec spec{path.string(), {}};
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (std::regex_match(line, m, cli)) {
            Command c{{}, std::stoi(m[2]), m[3]};
            std::istringstream words(m[1].str());
            for (std::string w; words >> w;) c.args.push_back(w);
            spec.commands.push_back(std::move(c));
        } else if (std::regex_match(line, m, address_space)) {
            spec.address_space_mb = std::stol(m[1]);
        } else if (line.rfind("# sanitized: skip", 0) == 0) {
            spec.skip_sanitized = true;
        }
    }
    return spec;
}

struct Ended {
    std::string output;  // stdout and stderr, as they came
    bool killed_by_test = false;
    int signal = 0;
    int exit_code = -1;
    std::string how() const {
        if (killed_by_test) return "still running after two minutes (killed by the test)";
        if (signal) return "killed by signal " + std::to_string(signal);
        return "exit " + std::to_string(exit_code);
    }
};

Ended run_binary(const std::vector<std::string>& args, const std::string& tmpdir, long address_space_mb) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        ::dup2(out[1], STDERR_FILENO);
        ::close(out[0]);
        ::setenv("TMPDIR", tmpdir.c_str(), 1);
        if (address_space_mb > 0) {
            rlimit as{static_cast<rlim_t>(address_space_mb) << 20, static_cast<rlim_t>(address_space_mb) << 20};
            ::setrlimit(RLIMIT_AS, &as);
        }
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out[1]);
    Ended e;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    char buf[4096];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) {
            e.killed_by_test = true;
            ::kill(pid, SIGKILL);
            break;
        }
        pollfd p{out[0], POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
        ssize_t n = ::read(out[0], buf, sizeof buf);
        if (n <= 0) break;
        if (e.output.size() < (1u << 22)) e.output.append(buf, static_cast<size_t>(n));
    }
    ::close(out[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (WIFEXITED(status)) e.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) e.signal = WTERMSIG(status);
    return e;
}

// What a command left in its TMPDIR, recursively.
std::vector<std::string> left_in(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ignored;
    for (const auto& entry : fs::recursive_directory_iterator(dir, ignored)) out.push_back(entry.path().string());
    return out;
}

}  // namespace

TEST_CASE("hostile specs end within their budgets, with the stated exit code and message, leaving nothing behind", "[cli]") {
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(critsec::test::source_path("tests/hostile_specs")))
        if (entry.path().extension() == ".crit") paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    REQUIRE(paths.size() >= 9);
    for (const auto& path : paths) {
        HostileSpec spec = read_spec(path);
        INFO(spec.path);
        REQUIRE_FALSE(spec.commands.empty());
#ifdef CRITSEC_SANITIZED
        if (spec.skip_sanitized || spec.address_space_mb > 0) continue;
#endif
        for (const Command& c : spec.commands) {
            critsec::test::PrivateTmpdir tmp;
            REQUIRE(tmp.made());
            std::string dir = std::getenv("TMPDIR");
            std::vector<std::string> args{CRITSEC_BINARY};
            args.insert(args.end(), c.args.begin(), c.args.end());
            args.push_back(spec.path);
            std::string shown;
            for (const auto& a : c.args) shown += a + " ";
            INFO("critsec " << shown << "(address space " << spec.address_space_mb << " MB)");
            Ended e = run_binary(args, dir, spec.address_space_mb);
            INFO(e.output.substr(0, 4000));
            CHECK(e.how() == "exit " + std::to_string(c.exit_code));
            CHECK(e.output.find(c.shows) != std::string::npos);
            CHECK(e.output.find("internal") == std::string::npos);
            CHECK(left_in(dir).empty());
        }
    }
}

TEST_CASE("an unusable TMPDIR is the environment's error: exit 71 and what to do, not an internal error", "[cli]") {
    std::vector<std::string> args{CRITSEC_BINARY, "run", "-n", "1", critsec::test::tutorial_spec("07_value_race.crit")};
    Ended e = run_binary(args, "/nonexistent/folder", 0);
    INFO(e.output);
    CHECK(e.how() == "exit 71");
    CHECK(e.output ==
          "critsec: the system refused: cannot make /nonexistent/folder/critsec-" + std::to_string(::getuid()) +
              " for the runs' private folders (set TMPDIR to a folder you can write): No such file or directory\n");
}
