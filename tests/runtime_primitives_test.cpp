// The runtime's OS primitives on their own: the arena across fork, typecode
// widths, robust locks whose holder dies, semaphores, the private folder.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/arena.hpp"
#include "runtime/child_process.hpp"
#include "runtime/file_sandbox.hpp"
#include "runtime/print_channel.hpp"
#include "tests/runtime_test_support.hpp"

using namespace critsec;
using namespace critsec::runtime;

namespace {
const char* kObjects = R"(
small = Value("b", 120)
words = Array("H", [1, 2, 3])
total = Value("i", 0)
lock = Lock()
sem = Semaphore(2)
log = File("log.txt")

process P():
    with lock:
        total.value += 1
    with total.get_lock():
        small.value += 10
    with sem:
        words[0] = 70000
    with open("log.txt", "a") as f:
        f.write("x")

main:
    p = P()
    p.start()
    p.join()
)";

int object_named(const model::Program& p, const std::string& name) {
    for (size_t i = 0; i < p.objects.size(); ++i)
        if (p.objects[i].name == name) return static_cast<int>(i);
    FAIL("no object " << name);
    return -1;
}
}  // namespace

TEST_CASE("the arena is shared across fork and keeps each typecode's width") {
    model::Program p = test::compile_text_ok(kObjects);
    Arena arena(p, 2, 16);
    int total = object_named(p, "total"), small = object_named(p, "small"), words = object_named(p, "words");
    CHECK(arena.load(small, 0) == 120);
    CHECK(arena.load(words, 2) == 3);
    {
        ChildProcess child = ChildProcess::fork_into(0, [&] {
            arena.store(total, 0, 41);
            arena.store(words, 1, p.objects[words].typecode.wrap(70000));
            ::_exit(0);
        });
        child.reap();
        CHECK(describe_wait_status(child.wait_status()) == "exit 0");
    }
    CHECK(arena.load(total, 0) == 41);
    CHECK(arena.load(words, 1) == 70000 - 65536);  // 'H' is 16 bits, unsigned
    CHECK(arena.load(words, 0) == 1);              // the neighbour cell is untouched
    arena.store(small, 0, p.objects[small].typecode.wrap(130));
    CHECK(arena.load(small, 0) == -126);  // a signed char wraps, as ctypes does
    arena.reset();
    CHECK(arena.load(total, 0) == 0);
    CHECK(arena.load(words, 1) == 2);
}

TEST_CASE("a robust lock whose holder died is noticed, not waited on forever") {
    model::Program p = test::compile_text_ok(kObjects);
    Arena arena(p, 3, 16);
    SharedLock& lock = arena.lock(object_named(p, "lock"));
    {
        ChildProcess holder = ChildProcess::fork_into(0, [&] {
            acquire_lock(lock, 1, true);
            ::_exit(0);  // ends holding it
        });
        holder.reap();
    }
    CHECK(lock.holder.load() == 1);
    CHECK(acquire_lock(lock, 2, true) == AcquireResult::HolderDied);
    CHECK(lock.holder.load() == 1);  // still named after the process that never released it
    abandon_lock(lock);
    arena.reset();
    CHECK(acquire_lock(lock, 2, false) == AcquireResult::Acquired);
    CHECK(acquire_lock(lock, 2, false) == AcquireResult::SelfDeadlock);  // a plain Lock is not re-entrant
    CHECK_FALSE(release_lock(lock, 1));                                  // not the holder
    CHECK(release_lock(lock, 2));
    CHECK_FALSE(release_lock(lock, 2));  // not held any more
}

TEST_CASE("get_lock() is recursive, a Semaphore counts across processes") {
    model::Program p = test::compile_text_ok(kObjects);
    Arena arena(p, 3, 16);
    int value_lock = -1;
    for (size_t i = 0; i < p.objects.size(); ++i)
        if (p.objects[i].kind == model::ObjectKind::Lock && p.objects[i].recursive) value_lock = static_cast<int>(i);
    REQUIRE(value_lock >= 0);
    SharedLock& rlock = arena.lock(value_lock);
    CHECK(acquire_lock(rlock, 1, false) == AcquireResult::Acquired);
    CHECK(acquire_lock(rlock, 1, false) == AcquireResult::Acquired);
    CHECK(release_lock(rlock, 1));
    CHECK(rlock.holder.load() == 1);
    CHECK(release_lock(rlock, 1));
    CHECK(rlock.holder.load() == -1);

    SharedSemaphore& sem = arena.semaphore(object_named(p, "sem"));
    {
        ChildProcess child = ChildProcess::fork_into(0, [&] {
            acquire_semaphore(sem, true);
            acquire_semaphore(sem, true);
            ::_exit(0);
        });
        child.reap();
    }
    CHECK_FALSE(acquire_semaphore(sem, false));
    CHECK(release_semaphore(sem));
    CHECK(semaphore_value(sem) == 1);
}

TEST_CASE("the private folder holds the spec's files and disappears with the run") {
    model::Program p = test::compile_text_ok(kObjects);
    std::string path;
    {
        FileSandbox box(p.objects, false);
        path = box.path();
        struct stat st;
        REQUIRE(::stat(path.c_str(), &st) == 0);
        int log = object_named(p, "log");
        box.reset();
        CHECK_FALSE(box.read(log));  // File("log.txt") starts absent
        UniqueFd w(::openat(box.dir_fd(), "log.txt", open_flags(true, true), 0644));
        REQUIRE(::write(w.get(), "12345", 5) == 5);
        UniqueFd a(::openat(box.dir_fd(), "log.txt", open_flags(true, false), 0644));  // a: appends
        REQUIRE(::pwrite(a.get(), "6", 1, 0) == 1);                                    // O_APPEND wins over the offset
        CHECK(*box.read(log) == "123456");
        UniqueFd t(::openat(box.dir_fd(), "log.txt", open_flags(true, true), 0644));  // w: truncates
        CHECK(*box.read(log) == "");
        box.reset();
        CHECK_FALSE(box.read(log));
    }
    struct stat st;
    CHECK(::stat(path.c_str(), &st) != 0);
}

TEST_CASE("a file name outside the private folder is refused") {
    CHECK(file_name_problem("ok.txt").empty());
    CHECK_FALSE(file_name_problem("../etc/passwd").empty());
    CHECK_FALSE(file_name_problem("/etc/passwd").empty());
    CHECK_FALSE(file_name_problem("..").empty());
    CHECK_FALSE(file_name_problem("").empty());
}

TEST_CASE("a signal that reaches a child the moment it is forked acts as in a fresh process, never through the parent's handler") {
    // The supervisor may signal a child it just forked (a crash played by a test, a
    // kill) before the child has run at all. Sent right after fork, that is most times
    // here: the parent runs on while the child is still being scheduled.
    struct sigaction parents {
    }, saved{};
    parents.sa_handler = [](int) { ::_exit(3); };
    REQUIRE(::sigaction(SIGUSR1, &parents, &saved) == 0);
    int handled_by_parents = 0;
    for (int i = 0; i < 50; ++i) {
        ChildProcess child = ChildProcess::fork_into(0, [] {
            for (;;) ::pause();
        });
        child.kill(SIGUSR1);
        child.reap();
        if (describe_wait_status(child.wait_status()) != "killed by SIGUSR1") ++handled_by_parents;
    }
    ::sigaction(SIGUSR1, &saved, nullptr);
    CHECK(handled_by_parents == 0);
}

TEST_CASE("print records cross the channel whole, in order") {
    PrintChannel channel;
    std::string long_line(10000, 'x');
    {
        ChildProcess child = ChildProcess::fork_into(0, [&] {
            for (int i = 0; i < 100; ++i) channel.send(static_cast<uint64_t>(i), 3, "line " + std::to_string(i));
            channel.send(100, 3, long_line);
            ::_exit(0);
        });
        child.reap();
    }
    std::vector<PrintRecord> got;
    channel.drain(got);
    REQUIRE(got.size() == 101);
    CHECK(got[42].text == "line 42");
    CHECK(got[42].instance == 3);
    CHECK(got[100].text.size() == PrintChannel::kMaxText);  // cut
    // Drained, the channel is empty; emptied between runs, it starts again.
    channel.drain(got);
    CHECK(got.size() == 101);
    channel.discard_partial();
    channel.send(7, 1, "again");
    got.clear();
    channel.drain(got);
    REQUIRE(got.size() == 1);
    CHECK(got[0].text == "again");
}

TEST_CASE("a writer that fills the print channel wakes the supervisor and waits for room, losing nothing") {
    PrintChannel channel;
    constexpr int kRecords = 3000;  // 100-byte texts: about 5 times what the ring holds
    ChildProcess child = ChildProcess::fork_into(0, [&] {
        for (int i = 0; i < kRecords; ++i) channel.send(static_cast<uint64_t>(i), 2, fmt::format("{:>100}", i));
        ::_exit(0);
    });
    std::vector<PrintRecord> got;
    int wakes = 0;
    while (got.size() < static_cast<size_t>(kRecords)) {
        pollfd fd{channel.read_fd(), POLLIN, 0};
        if (::poll(&fd, 1, 1000) > 0) ++wakes;
        channel.drain(got);
        if (!child.running() || child.try_reap()) {
            channel.drain(got);
            break;
        }
    }
    child.reap();
    REQUIRE(got.size() == static_cast<size_t>(kRecords));
    for (int i = 0; i < kRecords; ++i) {
        REQUIRE(got[i].seq == static_cast<uint64_t>(i));
        REQUIRE(got[i].text == fmt::format("{:>100}", i));
    }
    CHECK(wakes > 0);  // the ring was full at least once, and the eventfd said so
}
