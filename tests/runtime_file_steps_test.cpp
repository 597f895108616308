// File steps on the real OS are atomic and numbered in their real order. Linux
// does not make a read(2) atomic against a write(2) of the same file: on ext4 a
// read samples the size, then copies the bytes, so a write that extends the file
// in place between the two gives the new bytes cut at the old length ("1" while
// the file went "2" -> "11"). That is how a run of 09 ended with "2313", which
// the model (atomic file steps) does not predict. The runtime therefore makes a
// file step's sequence number and system calls one critical section.
// Never a timing assertion: the sleep below only widens the window a missing lock
// would let the read into; the outcome is decided by the lock alone.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include "runtime/arena.hpp"
#include "runtime/child_process.hpp"
#include "runtime/file_sandbox.hpp"
#include "runtime/os_world.hpp"
#include "runtime/print_channel.hpp"
#include "tests/runtime_test_support.hpp"

using namespace critsec;
using namespace critsec::runtime;

namespace {
const char* kSpec = R"(
total = File("total.txt", "2")

process Grow():
    with open("total.txt", "r+") as f:
        f.write("11")

main:
    g = Grow()
    g.start()
    g.join()
)";
}  // namespace

TEST_CASE("a file step holds the file-step lock from its sequence number to its end: no other file step comes between", "[runtime]") {
    model::Program p = test::compile_text_ok(kSpec);
    const int file = 0;
    REQUIRE(p.objects.at(file).kind == model::ObjectKind::File);
    Arena arena(p, 3, 64);
    FileSandbox box(p.objects, false);
    box.reset();
    PrintChannel prints;
    int ready[2];
    REQUIRE(::pipe(ready) == 0);
    ChildProcess child = ChildProcess::fork_into(0, [&] {
        OsWorld world(p, arena, box, prints, 1, nullptr, nullptr, 0);
        world.begin_step();
        int handle = world.file_open(file, false, false);
        uint64_t seq = world.step_seq();
        if (::write(ready[1], &seq, sizeof seq) != sizeof seq) ::_exit(3);
        ::usleep(20'000);
        world.file_pwrite(handle, 0, "11");  // extends "2" in place
        world.end_step();
        ::_exit(0);
    });
    uint64_t child_seq = 0;
    REQUIRE(::read(ready[0], &child_seq, sizeof child_seq) == static_cast<ssize_t>(sizeof child_seq));

    OsWorld world(p, arena, box, prints, 2, nullptr, nullptr, 0);
    world.begin_step();
    int handle = world.file_open(file, false, false);
    uint64_t seq = world.step_seq();
    std::string seen = world.file_pread(handle, 0, 100);
    world.end_step();
    child.reap();
    ::close(ready[0]);
    ::close(ready[1]);

    CHECK(WIFEXITED(child.wait_status()));
    CHECK(WEXITSTATUS(child.wait_status()) == 0);
    CHECK(seq > child_seq);
    CHECK(seen == "11");  // never "2" (read first) and never "1" (new bytes, old length)
}
