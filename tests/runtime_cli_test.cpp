// `critsec run` as a user runs it: Ctrl-C in the middle of a long series.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "runtime/child_process.hpp"
#include "tests/runtime_test_support.hpp"

using namespace critsec;

using test::all_processes;

TEST_CASE("SIGINT during `critsec run -n 100000` prints the histogram so far and leaves nothing behind", "[runtime]") {
    std::string binary = CRITSEC_BINARY;
    REQUIRE(std::system((binary + " run --help >/dev/null 2>&1").c_str()) == 0);
    test::PrivateTmpdir tmp;  // the child inherits it
    REQUIRE(tmp.made());
    int out[2];
    REQUIRE(::pipe(out) == 0);
    std::string spec = test::tutorial_spec("11_semaphore.crit");
    runtime::ChildProcess cli = runtime::ChildProcess::fork_into(0, [&] {
        ::dup2(out[1], STDOUT_FILENO);
        ::close(out[0]);
        ::execl(binary.c_str(), "critsec", "run", spec.c_str(), "-n", "100000", "--time-scale", "0.001", nullptr);
        ::_exit(127);
    });
    ::close(out[1]);
    // The run's process group is led by an idle child of critsec whose group is its pid.
    int group = 0;
    for (int tries = 0; tries < 20000 && group == 0; ++tries) {
        for (const auto& p : all_processes())
            if (p.ppid == cli.pid() && p.pgid == p.pid) group = p.pid;
        if (group == 0) ::usleep(500);
    }
    REQUIRE(group != 0);
    ::kill(cli.pid(), SIGINT);
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
    ::close(out[0]);
    cli.reap();
    INFO(text);
    CHECK(WIFEXITED(cli.wait_status()));
    CHECK(WEXITSTATUS(cli.wait_status()) == 2);  // inconclusive: interrupted
    CHECK(text.find("interrupted") != std::string::npos);
    CHECK(text.find("Histogram") != std::string::npos);
    for (const auto& p : all_processes()) {
        CHECK(p.pgid != group);
        CHECK(p.ppid != cli.pid());
    }
    CHECK(test::sandbox_folders() == 0);
}
