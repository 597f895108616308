// The runs' private folders (runtime/private_folder.hpp): one per-user parent,
// a lock per folder, and a sweep that removes what killed owners left.
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "runtime/private_folder.hpp"
#include "tests/runtime_test_support.hpp"

using critsec::runtime::PrivateFolder;
using critsec::runtime::private_parent;
using critsec::runtime::sweep_private_folders;
namespace fs = std::filesystem;

namespace {

std::string expected_parent() { return std::string(std::getenv("TMPDIR")) + "/critsec-" + std::to_string(::getuid()); }

// A child makes a folder with a file in it, then dies as SIGKILL would leave it:
// no destructor runs, and its lock goes with it.
void folder_of_a_killed_run() {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        auto* folder = new PrivateFolder();  // never destroyed: the point of the test
        std::ofstream(folder->path() + "/log.txt") << "half written";
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFEXITED(status));
}

}  // namespace

TEST_CASE("a private folder lives under $TMPDIR/critsec-<uid>, mode 0700, and goes with its parent", "[runtime]") {
    critsec::test::PrivateTmpdir tmp;
    REQUIRE(tmp.made());
    std::string path;
    {
        PrivateFolder folder;
        path = folder.path();
        CHECK(path.rfind(expected_parent() + "/run-", 0) == 0);
        struct stat st{};
        REQUIRE(::stat(path.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0700);
        CHECK(fs::exists(path + ".lock"));
        std::ofstream(path + "/a.txt") << "x";
    }
    CHECK_FALSE(fs::exists(path));
    CHECK_FALSE(fs::exists(expected_parent()));  // nothing left behind at all
}

TEST_CASE("a killed run's folder is swept by the next run; a living one's is not", "[runtime]") {
    critsec::test::PrivateTmpdir tmp;
    REQUIRE(tmp.made());
    folder_of_a_killed_run();
    CHECK(critsec::test::sandbox_folders() == 1);
    PrivateFolder alive;
    // Making `alive` swept the dead run's folder, its file and its lock.
    CHECK(critsec::test::sandbox_folders() == 1);
    CHECK(fs::exists(alive.path()));
    size_t entries = 0;
    for (const auto& e : fs::directory_iterator(expected_parent())) entries += e.path().string().rfind(alive.path(), 0) == 0 ? 0 : 1;
    CHECK(entries == 0);
    CHECK(sweep_private_folders(expected_parent()) == 0);  // its own lock is held
    CHECK(fs::exists(alive.path()));
}

TEST_CASE("a kept folder outlives its run and every sweep", "[runtime]") {
    critsec::test::PrivateTmpdir tmp;
    REQUIRE(tmp.made());
    std::string path;
    {
        PrivateFolder folder;
        folder.keep();
        path = folder.path();
    }
    CHECK(fs::exists(path));
    CHECK(sweep_private_folders(expected_parent()) == 0);
    CHECK(fs::exists(path));
}

TEST_CASE("a parent that is not a private folder of this user is refused, never used", "[runtime]") {
    critsec::test::PrivateTmpdir tmp;
    REQUIRE(tmp.made());
    REQUIRE(::mkdir(expected_parent().c_str(), 0755) == 0);  // readable by others
    CHECK_THROWS_AS(PrivateFolder(), std::system_error);
    REQUIRE(::rmdir(expected_parent().c_str()) == 0);
    fs::create_directory(std::string(std::getenv("TMPDIR")) + "/elsewhere");
    fs::create_directory_symlink(std::string(std::getenv("TMPDIR")) + "/elsewhere", expected_parent());
    try {
        private_parent();
        FAIL("a symbolic link was taken as the parent");
    } catch (const std::system_error& e) {
        CHECK(std::string(e.what()).find("is not a private folder of yours") != std::string::npos);
    }
}
