// The step semantics, run against the in-memory world under random schedules.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "model/memory_world.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;
using namespace critsec::model;

namespace {

bool any_failed(const MemoryWorld& w) {
    for (const auto& p : w.processes)
        if (!p.error.empty()) return true;
    return false;
}

}  // namespace

TEST_CASE("every tutorial spec runs to completion under random schedules") {
    for (const char* name : {"01_worker.crit", "03_join.crit", "03b_start_join_serial.crit", "04_functions.crit", "05_adder_class.crit",
                             "06_global_var.crit", "08_array.crit", "10_lock.crit", "11_semaphore.crit"}) {
        Program p = test::compile_ok(test::tutorial_spec(name));
        for (int seed = 0; seed < 50; ++seed) {
            auto r = simulate(p, seed);
            INFO(name << " seed " << seed << "\n" << r.world.outcome_text());
            CHECK_FALSE(r.deadlock);
            CHECK_FALSE(any_failed(r.world));
        }
    }
}

TEST_CASE("01: the worker prints its number") {
    auto r = simulate(test::compile_ok(test::tutorial_spec("01_worker.crit")), 1);
    REQUIRE(r.world.output.size() == 1);
    CHECK(r.world.output[0].text == "Worker: 1");
    CHECK(r.world.output[0].instance == 1);
}

TEST_CASE("07: without a lock some schedule loses an update") {
    Program p = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    bool lost = false;
    for (int seed = 0; seed < 200 && !lost; ++seed) {
        auto r = simulate(p, seed);
        lost = r.world.processes[0].error.rfind("AssertionError: lost update", 0) == 0;
    }
    CHECK(lost);
}

TEST_CASE("10: with the lock the total is always the sum") {
    Program p = test::compile_ok(test::tutorial_spec("10_lock.crit"));
    for (int seed = 0; seed < 200; ++seed) CHECK(simulate(p, seed).world.processes[0].error.empty());
}

TEST_CASE("09: the file race produces garbage totals and int() failures") {
    Program p = test::compile_ok(test::tutorial_spec("09_file_race.crit"));
    bool int_failure = false, wrong_total = false;
    for (int seed = 0; seed < 2000; ++seed) {
        auto r = simulate(p, seed);
        for (const auto& proc : r.world.processes)
            if (proc.error.find("invalid literal for int()") != std::string::npos) int_failure = true;
        if (r.world.outcome_text().find("file shared_total.txt") != std::string::npos) wrong_total = true;
    }
    CHECK(int_failure);
    CHECK(wrong_total);
}

TEST_CASE("06: a child's write to a plain global is its own") {
    Program p = test::compile_ok(test::tutorial_spec("06_global_var.crit"));
    for (int seed = 0; seed < 50; ++seed) {
        auto r = simulate(p, seed);
        CHECK(r.world.processes[0].error.empty());
        CHECK(r.world.output.back().text.find("Promedio: 0 / 5 = 0.0") != std::string::npos);
    }
}

TEST_CASE("a two-lock cycle can deadlock") {
    Program p = test::compile_text_ok(R"(a = Lock()
b = Lock()

process Left():
    with a:
        with b:
            pass

process Right():
    with b:
        with a:
            pass

main:
    l = Left()
    r = Right()
    l.start()
    r.start()
    l.join()
    r.join()
)");
    bool deadlock = false;
    for (int seed = 0; seed < 200 && !deadlock; ++seed) deadlock = simulate(p, seed).deadlock;
    CHECK(deadlock);
}

TEST_CASE("Value typecodes wrap around as ctypes does") {
    Program p = test::compile_text_ok(R"(v = Value("b", 120)
u = Value("B", 250)

process Bump():
    v.value += 10
    u.value += 10

main:
    b = Bump()
    b.start()
    b.join()
    assert v.value == -126
    assert u.value == 4
)");
    auto r = simulate(p, 0);
    INFO(r.world.processes[0].error);
    CHECK(r.world.processes[0].error.empty());
}

TEST_CASE("int() follows CPython") {
    Program p = test::compile_text_ok(R"(main:
    assert int(" 42\n") == 42
    assert int("-1_000") == -1000
    assert int("+7") == 7
    x = int("7\0")
)");
    auto r = simulate(p, 0);
    CHECK(r.world.processes[0].error == "ValueError: invalid literal for int() with base 10: '7\\x00'");
}

TEST_CASE("a failing process releases what its `with` blocks hold") {
    Program p = test::compile_text_ok(R"(lock = Lock()

process Bad():
    with lock:
        x = int("oops")

process Good():
    with lock:
        print("got it")

main:
    b = Bad()
    b.start()
    b.join()
    g = Good()
    g.start()
    g.join()
)");
    auto r = simulate(p, 0);
    CHECK_FALSE(r.deadlock);
    REQUIRE(r.world.output.size() == 1);
    CHECK(r.world.output[0].text == "got it");
}

namespace {

// The one outcome of a spec without processes (main alone), run in the in-memory world.
std::string main_alone(const std::string& text) {
    Program p = test::compile_text_ok(text);
    auto r = simulate(p, 0);
    INFO(text << "\n" << r.world.outcome_text());
    CHECK_FALSE(any_failed(r.world));
    std::string out = r.world.outcome_text();
    for (const auto& line : r.world.output) out += "main prints: " + line.text + "\n";
    return out;
}

bool has(const std::string& outcome, const std::string& line) { return outcome.find(line) != std::string::npos; }

}  // namespace

// Each expected result is what CPython 3 does with the same program (open(), readline(), write()).
TEST_CASE("files: a write after readline() lands where Python's text layer read ahead to (8 KiB chunks)") {
    CHECK(has(main_alone(R"(notes = File("notes.txt", "hello\nworld\n")
main:
    f = open("notes.txt", "r+")
    first = f.readline()
    f.write("W")
    f.close()
)"), "file notes.txt = \"hello\\nworld\\nW\""));
    CHECK(has(main_alone(R"(notes = File("notes.txt")
main:
    f = open("notes.txt", "w+")
    f.write("abc\ndef\n")
    f.seek(0)
    first = f.readline()
    f.write("Y")
    f.close()
    print(first)
)"), "file notes.txt = \"abc\\ndef\\nY\""));
    // A long file: the first chunk is 8192 bytes; a line past it makes the layer read the next chunk.
    auto at = [&](int readlines) {
        std::string text = "main:\n    f = open(\"n.txt\", \"w\")\n    f.write(\"a\\n\" + \"b\" * 9000 + \"\\nc\\n\")\n    f.close()\n"
                           "    g = open(\"n.txt\", \"r+\")\n";
        for (int k = 0; k < readlines; ++k) text += "    line = g.readline()\n";
        text += "    g.write(\"W\")\n    g.close()\n    h = open(\"n.txt\", \"r\")\n    s = h.read()\n    h.close()\n"
                "    print(s == \"a\\n\" + \"b\" * 8190 + \"W\" + \"b\" * 809 + \"\\nc\\n\")\n"
                "    print(s == \"a\\n\" + \"b\" * 9000 + \"\\nc\\nW\")\n";
        return main_alone(text);
    };
    CHECK(has(at(1), "main prints: True\nmain prints: False"));  // at 8192, the first chunk's end
    CHECK(has(at(2), "main prints: False\nmain prints: True"));  // the second line ends past it: at the end
    // A seek forgets the read-ahead: the write lands at the seek.
    CHECK(has(main_alone(R"(notes = File("notes.txt", "ab\ncd\n")
main:
    f = open("notes.txt", "r+")
    first = f.readline()
    f.seek(1)
    f.write("Q")
    second = f.readline()
    f.close()
    print(second)
)"), "file notes.txt = \"aQ\\ncd\\n\""));
}

TEST_CASE("files: an a+ handle starts at the end, as Python's does; readline() reads a line of any length") {
    std::string out = main_alone(R"(notes = File("notes.txt", "abc")
main:
    h = open(notes, "a+")
    first = h.read()
    h.seek(0)
    second = h.read()
    h.write("X")
    h.close()
    print(f"[{first}] [{second}]")
)");
    CHECK(has(out, "main prints: [] [abc]"));
    CHECK(has(out, "file notes.txt = \"abcX\""));
    CHECK(has(main_alone(R"(main:
    f = open("n.txt", "w+")
    f.write("x" * 10000 + "\nz")
    f.seek(0)
    line = f.readline()
    rest = f.readline()
    f.close()
    print(f"{len(line)} {rest}")
)"), "main prints: 10001 z"));
}

TEST_CASE("files: the runtime's real files agree with the model on readline-then-write and a+") {
    std::string path = (std::filesystem::temp_directory_path() / ("critsec-files-" + std::to_string(::getpid()) + ".crit")).string();
    std::ofstream(path) << R"(notes = File("notes.txt", "hello\nworld\n")
main:
    f = open("notes.txt", "r+")
    first = f.readline()
    f.write("W")
    f.close()
    h = open(notes, "a+")
    text = h.read()
    h.close()
    print(f"[{text}]")
)";
    std::string out = path + ".out";
    int status = std::system((std::string(CRITSEC_BINARY) + " run -n 2 " + path + " >" + out + " 2>&1").c_str());
    std::ifstream in(out);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(path);
    std::filesystem::remove(out);
    INFO(text);
    CHECK(WIFEXITED(status));
    CHECK(has(text, "file notes.txt = \"hello\\nworld\\nW\""));
    CHECK(has(text, "main printed \"[]\""));
}
