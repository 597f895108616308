// The front end's lowering: what each statement becomes in the model, and what it
// reports instead of dropping a statement.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "model/frontend.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;

namespace {

int prints_in(const model::ProcessTemplate& t) {
    return static_cast<int>(
        std::count_if(t.code.begin(), t.code.end(), [](const model::Instr& i) { return std::holds_alternative<model::Print>(i.node); }));
}

const model::Store& only_store(const model::ProcessTemplate& t) {
    const model::Store* found = nullptr;
    for (const auto& i : t.code)
        if (const auto* s = std::get_if<model::Store>(&i.node)) {
            REQUIRE(found == nullptr);
            found = s;
        }
    REQUIRE(found != nullptr);
    return *found;
}

int load_pc(const model::ProcessTemplate& t, int nth = 0) {
    for (size_t pc = 0; pc < t.code.size(); ++pc)
        if (std::holds_alternative<model::Load>(t.code[pc].node) && nth-- == 0) return static_cast<int>(pc);
    FAIL("no load");
    return -1;
}

}  // namespace

TEST_CASE("lower: a comprehension over an empty list is an error, never a dropped statement") {
    Compiled c = compile_source("spec.crit", "main:\n    x = [n + 1 for n in []]\n    print(x)\n    print(\"end\")\n");
    CHECK_FALSE(c.program);
    REQUIRE(has_errors(c.diagnostics));
    CHECK(c.diagnostics.front().message == "this list is always empty: its elements have no type");
    CHECK(c.diagnostics.front().loc.line == 2);
}

TEST_CASE("lower: a for over an empty list, and indexing it, are errors") {
    Compiled loop = compile_source("spec.crit", "main:\n    xs = []\n    for n in xs:\n        print(n + 1)\n    print(\"end\")\n");
    CHECK_FALSE(loop.program);
    Compiled index = compile_source("spec.crit", "main:\n    xs = []\n    print(xs[0] + 1)\n");
    CHECK_FALSE(index.program);
    REQUIRE(has_errors(index.diagnostics));
    CHECK(index.diagnostics.front().loc.line == 3);
}

TEST_CASE("lower: an empty list prints as [], and no statement goes missing") {
    Compiled c = compile_source("spec.crit", "main:\n    x = []\n    print(x)\n    print(\"end\")\n");
    REQUIRE(c.program);
    CHECK(prints_in(c.program->main) == 2);
}

TEST_CASE("lower: a store is computed from its load across an if, a for, a while and a plain global") {
    const char* bodies[] = {
        "    x = total.value\n    if n > 100:\n        print(\"big\")\n    total.value = x + n\n",
        "    x = total.value\n    for i in range(2):\n        x += i\n    total.value = x\n",
        "    x = total.value\n    k = 0\n    while k < n:\n        k += 1\n    total.value = x + k\n",
        "    global g\n    g = total.value\n    total.value = g + n\n",
        "    x = total.value\n    if n > 1:\n        x += 1\n    else:\n        x -= 1\n    total.value = x\n",
    };
    for (const char* body : bodies) {
        std::string text = std::string("total = Value(\"i\", 0)\ng = 0\n\nprocess Adder(n):\n") + body +
                           "\nmain:\n    a = Adder(1)\n    a.start()\n    a.join()\n";
        INFO(text);
        Compiled c = compile_source("spec.crit", text);
        REQUIRE(c.program);
        const auto& adder = c.program->processes.at(0);
        CHECK(only_store(adder).read_from == std::vector<int>{load_pc(adder)});
    }
}

TEST_CASE("lower: a store may come from either of two loads, one per branch; a constant store from none") {
    Compiled c = compile_source("spec.crit", R"(total = Value("i", 0)

process Adder(n):
    if n > 1:
        x = total.value
    else:
        x = total.value + 1
    total.value = x * 2
    total.value = 5

main:
    a = Adder(1)
    a.start()
    a.join()
)");
    REQUIRE(c.program);
    const auto& adder = c.program->processes.at(0);
    std::vector<const model::Store*> stores;
    for (const auto& i : adder.code)
        if (const auto* s = std::get_if<model::Store>(&i.node)) stores.push_back(s);
    REQUIRE(stores.size() == 2);
    CHECK(stores[0]->read_from == std::vector<int>{load_pc(adder, 0), load_pc(adder, 1)});
    CHECK(stores[1]->read_from.empty());
}

TEST_CASE("lower: a value loaded in one iteration and stored in the next is still linked") {
    Compiled c = compile_source("spec.crit", R"(total = Value("i", 0)

process Adder(n):
    x = 0
    for i in range(2):
        if i == 1:
            total.value = x + n
        x = total.value

main:
    a = Adder(1)
    a.start()
    a.join()
)");
    REQUIRE(c.program);
    const auto& adder = c.program->processes.at(0);
    CHECK(only_store(adder).read_from == std::vector<int>{load_pc(adder)});
}

TEST_CASE("lower: the process cap is kMaxInstances children, and `critsec run` accepts every spec the front end does") {
    auto spec = [](int n) {
        return fmt::format(
            "process W():\n    pass\n\nmain:\n    ws = [W() for _ in range({})]\n    for w in ws:\n        w.start()\n    for w in ws:\n   "
            "     w.join()\n",
            n);
    };
    CHECK(compile_source("spec.crit", spec(kMaxInstances)).program);
    CHECK_FALSE(compile_source("spec.crit", spec(kMaxInstances + 1)).program);
    static_assert(kMaxProcesses == kMaxInstances + 1, "run's cap counts main");
    std::string path = (std::filesystem::temp_directory_path() / ("critsec-cap-" + std::to_string(::getpid()) + ".crit")).string();
    std::ofstream(path) << spec(kMaxInstances);
    int status = std::system((std::string(CRITSEC_BINARY) + " run -n 1 " + path + " >/dev/null 2>&1").c_str());
    std::filesystem::remove(path);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

namespace {

std::string first_error(const std::string& text) {
    Compiled c = compile_source("spec.crit", text);
    REQUIRE_FALSE(c.diagnostics.empty());
    const Diagnostic& d = c.diagnostics.front();
    return fmt::format("{}:{}: {} | {}", d.loc.line, d.loc.col, d.message, d.hint);
}

}  // namespace

TEST_CASE("lower: `%` in constants floors as Python does: the remainder takes the divisor's sign") {
    Compiled c = compile_source("spec.crit",
                                "a = Value(\"i\", -7 % 3)\n"
                                "b = Value(\"i\", 7 % -3)\n"
                                "n = 10\n"
                                "arr = Array(\"i\", n % 4 + 1)\n"
                                "s = Semaphore(5 % 3)\n"
                                "main:\n"
                                "    for i in range(10 % 3, n % 7):\n"
                                "        print(i)\n");
    REQUIRE(c.program);
    CHECK(c.program->objects[0].initial == std::vector<int64_t>{2});
    CHECK(c.program->objects[1].initial == std::vector<int64_t>{-2});
    CHECK(c.program->objects[2].cells() == 3);
    CHECK(c.program->objects[3].semaphore_initial == 2);
    CHECK(prints_in(c.program->main) == 1);
}

TEST_CASE("lower: a constant that divides by zero is an error at the zero") {
    const std::string hint = "Python raises ZeroDivisionError here; a constant must have a value";
    CHECK(first_error("main:\n    for i in range(10 % 0):\n        print(i)\n") ==
          "2:25: integer division or modulo by zero in a constant | " + hint);
    CHECK(first_error("v = Value(\"i\", 1 // (2 - 2))\nmain:\n    print(v.value)\n") ==
          "1:22: integer division or modulo by zero in a constant | " + hint);
    CHECK(first_error("arr = Array(\"i\", 4 % 0)\nmain:\n    print(arr[0])\n") ==
          "1:22: integer division or modulo by zero in a constant | " + hint);
    CHECK(first_error("s = Semaphore(1 % 0)\nmain:\n    s.acquire()\n") ==
          "1:19: integer division or modulo by zero in a constant | " + hint);
    // Outside a constant, dividing by zero stays a runtime ZeroDivisionError, as in Python.
    CHECK(compile_source("spec.crit", "main:\n    print(1 % 0)\n").program);
}

TEST_CASE("lower: printing a process object hints at its real parameters") {
    CHECK(first_error("process W():\n    pass\nmain:\n    w = W()\n    print(w)\n") ==
          "5:11: cannot print a process W | it has no parameters to print; print `pid()` inside the process");
    CHECK(first_error("process Adder(a, b):\n    pass\nmain:\n    q = Adder(1, 2)\n    print(f\"{q}\")\n") ==
          "5:14: cannot format process Adder in an f-string | print a parameter, such as `q.a`");
}

TEST_CASE("lower: an int variable still cannot take a float (its uses were checked as int)") {
    CHECK(first_error("main:\n    x = 3\n    x = 1 / 2\n") ==
          "3:5: `x` is int but is assigned float | a variable keeps one type; use another name");
    Compiled ok = compile_source("spec.crit", "g = 1 / 2\nmain:\n    g = 3\n    x = 1 / 2\n    x = True\n    print(g, x)\n");
    CHECK(ok.program);
}

TEST_CASE("lower: `and` with shared reads on its right becomes a branch around them") {
    Compiled c = compile_source("spec.crit",
                                "a = Value(\"i\", 0)\nb = Value(\"i\", 0)\nmain:\n"
                                "    while a.value == 0 and b.value == 0:\n"
                                "        sleep(0)\n");
    REQUIRE(c.program);
    const auto& code = c.program->main.code;
    // load a; $sc = a == 0; branch $sc; load b; $sc = b == 0; branch $sc (the loop's)
    REQUIRE(code.size() >= 6);
    CHECK(std::holds_alternative<model::Load>(code[0].node));
    CHECK(std::holds_alternative<model::Assign>(code[1].node));
    CHECK(std::get<model::Branch>(code[2].node).if_false == 5);
    CHECK(std::get<model::Load>(code[3].node).object == 1);
    CHECK(std::holds_alternative<model::Assign>(code[4].node));
    CHECK(std::holds_alternative<model::Branch>(code[5].node));
}

TEST_CASE("lower: BoundedSemaphore(n) is a Semaphore bounded by n, and takes what Semaphore takes") {
    Compiled c = compile_source("spec.crit", "a = BoundedSemaphore(2)\nb = BoundedSemaphore()\nc = Semaphore(2)\nmain:\n    a.release()\n");
    REQUIRE(c.program);
    CHECK(c.program->objects[0].kind == model::ObjectKind::Semaphore);
    CHECK(c.program->objects[0].bounded);
    CHECK(c.program->objects[0].semaphore_initial == 2);
    CHECK(c.program->objects[1].semaphore_initial == 1);
    CHECK_FALSE(c.program->objects[2].bounded);
    CHECK(first_error("s = BoundedSemaphore(1001)\nmain:\n    pass\n") ==
          "1:22: a BoundedSemaphore's initial value must be between 0 and 1000, not 1001 | ");
    CHECK(first_error("main:\n    s = BoundedSemaphore(1)\n") ==
          "2:9: `BoundedSemaphore` can only be declared at the top level | write `name = BoundedSemaphore(...)` above the processes");
}

TEST_CASE("lower: acquire(False), acquire(block=False) and acquire(timeout=t) give a bool, acquire() True") {
    Compiled c = compile_source("spec.crit",
                                "lock = Lock()\nsem = Semaphore(1)\nmain:\n"
                                "    a = lock.acquire(False)\n"
                                "    b = sem.acquire(block=False, timeout=3)\n"
                                "    d = sem.acquire(timeout=1 / 2)\n"
                                "    e = lock.acquire(True, 2)\n"
                                "    f = sem.acquire()\n"
                                "    print(a, b, d, e, f)\n");
    INFO(render_all(c.source, c.diagnostics));
    REQUIRE(c.program);
    std::vector<model::AcquireWait> waits;
    for (const auto& i : c.program->main.code)
        if (const auto* a = std::get_if<model::Acquire>(&i.node)) {
            waits.push_back(a->wait);
            CHECK(a->result.has_value() == (a->wait != model::AcquireWait::Block));
        }
    using W = model::AcquireWait;
    CHECK(waits == std::vector<W>{W::Try, W::Try, W::Timed, W::Timed, W::Block});
}

TEST_CASE("lower: acquire's misuse is one error at its place") {
    const std::string head = "lock = Lock()\nmain:\n    ";
    CHECK(first_error(head + "lock.acquire(blocking=False)\n") ==
          "3:18: `acquire()` has no argument `blocking` | multiprocessing's acquire() calls it `block=` (`blocking=` is threading's)");
    CHECK(first_error(head + "lock.acquire(False, block=True)\n") ==
          "3:25: `acquire()` got `block` twice | it takes `block=` (True or False) and `timeout=` (seconds)");
    CHECK(first_error(head + "x = 0\n    lock.acquire(x)\n") ==
          "4:18: `block` must be True or False, written out | as in `acquire(block=False)`");
    CHECK(first_error(head + "lock.acquire(timeout=\"1\")\n") == "3:26: acquire()'s timeout must be int or float, not str | ");
    CHECK(first_error(head + "lock.acquire(True, 1, 2)\n") ==
          "3:5: `acquire()` takes 0 to 2 arguments, 3 given | as in `acquire(block=False)` or `acquire(timeout=2)`");
}

TEST_CASE("lower: break and continue jump out of their loop, ending the `with` blocks they leave first") {
    Compiled c = compile_source("spec.crit",
                                "lock = Lock()\nmain:\n"
                                "    while True:\n"
                                "        with lock:\n"
                                "            with open(\"a.txt\", \"w\") as f:\n"
                                "                break\n"
                                "    for k in range(3):\n"
                                "        if k == 1:\n"
                                "            continue\n"
                                "        print(k)\n"
                                "    print(\"end\")\n");
    INFO(render_all(c.source, c.diagnostics));
    REQUIRE(c.program);
    const auto& code = c.program->main.code;
    // The break: close the file, release the lock, then the jump past the while.
    int brk = -1;
    for (size_t pc = 0; pc < code.size(); ++pc)
        if (const auto* j = std::get_if<model::Jump>(&code[pc].node); j && !j->back_edge && code[pc].loc.line == 6)
            brk = static_cast<int>(pc);
    REQUIRE(brk >= 2);
    CHECK(std::get<model::FileClose>(code[brk - 2].node).by_with);
    CHECK(std::get<model::Release>(code[brk - 1].node).by_with);
    const model::Instr& after = code.at(std::get<model::Jump>(code[brk].node).target);
    CHECK(after.loc.line == 7);  // the for's first instruction
    // The continue goes to the for's next element (its counter's increment), which prints nothing.
    int cont = -1;
    for (size_t pc = 0; pc < code.size(); ++pc)
        if (std::holds_alternative<model::Jump>(code[pc].node) && code[pc].loc.line == 9) cont = static_cast<int>(pc);
    REQUIRE(cont >= 0);
    int target = std::get<model::Jump>(code[cont].node).target;
    CHECK(std::holds_alternative<model::Assign>(code.at(target).node));
    CHECK(code.at(target).loc.line == 7);
}

TEST_CASE("lower: join(timeout), is_alive(), exitcode, terminate(), kill() are main's steps, and a daemon ends main with an exit step") {
    Compiled c = compile_source("spec.crit",
                                "process W(n):\n    print(n)\n"
                                "main:\n"
                                "    a = W(1, daemon=True)\n"
                                "    b = W(2)\n"
                                "    b.daemon = False\n"
                                "    a.start()\n    b.start()\n"
                                "    a.join(1)\n    b.join(timeout=1 / 2)\n"
                                "    print(\"vivo\" if a.is_alive() else \"no\", b.exitcode, b.pid)\n"
                                "    a.terminate()\n    b.kill()\n");
    INFO(render_all(c.source, c.diagnostics));
    REQUIRE(c.program);
    int timed = 0, polls = 0, sigterm = 0, sigkill = 0, exits = 0, set_daemon = 0;
    for (const auto& i : c.program->main.code) {
        if (const auto* j = std::get_if<model::Join>(&i.node)) timed += j->timeout != nullptr;
        polls += std::holds_alternative<model::Poll>(i.node);
        if (const auto* s = std::get_if<model::Signal>(&i.node)) (s->signal == model::kSigTerm ? sigterm : sigkill) += 1;
        exits += std::holds_alternative<model::AtExit>(i.node);
        set_daemon += std::holds_alternative<model::SetDaemon>(i.node);
    }
    CHECK(timed == 2);
    CHECK(polls == 2);
    CHECK(sigterm == 1);
    CHECK(sigkill == 1);
    CHECK(set_daemon == 1);
    CHECK(exits == 1);
    CHECK(std::holds_alternative<model::AtExit>(c.program->main.code.back().node));
}

TEST_CASE("lower: a process's lifecycle misused is one error at its place") {
    const std::string head = "process W():\n    print(1)\nmain:\n    w = W()\n    ";
    CHECK(first_error(head + "w.join(1, 2)\n") == "5:5: `join()` takes 0 or 1 arguments, 2 given | as in `p.join()` or `p.join(timeout=2)`");
    CHECK(first_error(head + "w.start()\n    w.join(time=1)\n") == "6:12: `join()` has no argument `time` | it takes `timeout=` (seconds)");
    CHECK(first_error(head + "w.start()\n    w.close()\n") ==
          "6:7: a process's `close()` is not modelled by critsec | drop it: it only frees the Process object's resources once the "
          "process has ended");
    CHECK(first_error(head + "w.terminate()\n") ==
          "5:5: process `w` is terminated but never started | call `w.start()` first (Python raises AttributeError: 'NoneType' "
          "object has no attribute 'terminate')");
    CHECK(first_error(head + "w.start()\n    w.daemon = True\n") ==
          "6:5: `w.daemon` is set after `w.start()` | set it before the start, or create the process with `daemon=True` (Python "
          "raises AssertionError: process has already started)");
    CHECK(first_error("process W():\n    print(1)\nmain:\n    w = W(daemon=1)\n") ==
          "4:18: a process's daemon flag must be a bool, not int | ");
}
