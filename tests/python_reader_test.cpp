// The Python reader (model/python/reader.hpp): a program as a student writes it,
// and the spec it is read as (pinned as `show --dump ast` prints it), or the one
// diagnostic that says what is not read.
#include <catch2/catch.hpp>

#include "model/frontend.hpp"

using namespace critsec;

namespace {

std::string read_as(const std::string& program) {
    Compiled c = compile_source("prog.py", program);
    INFO(render_all(c.source, c.diagnostics));
    REQUIRE(c.program);
    return ast::dump(c.module);
}

std::string errors_of(const std::string& program) {
    Compiled c = compile_source("prog.py", program);
    std::string out;
    for (const auto& d : c.diagnostics) out += std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) + ": " + d.message + "\n";
    return out;
}

}  // namespace

TEST_CASE("a Process subclass is a template: __init__'s parameters, run's body, self fields read as them", "[python]") {
    CHECK(read_as(R"(import multiprocessing as mp
import os


class Adder(mp.Process):
    """Adds."""
    def __init__(self, n, total, lock):
        super().__init__()
        self._n = n
        self._double = n * 2
        self._total = total
        self._lock = lock

    def run(self):
        with self._lock:
            self._total.value += self._n + self._double
        print(os.getpid(), self.pid)


if __name__ == "__main__":
    total = mp.Value("i", 0)
    lock = mp.Lock()
    adders = [Adder(n=i, total=total, lock=lock) for i in range(3)]
    for a in adders:
        a.start()
    for a in adders:
        a.join()
    print(total.value, adders[0]._n)
)") == R"(total = Value("i", 0)  # 21:5
lock = Lock()  # 22:5
process Adder(n):  # 5:1
    _double = (n * 2)  # 10:24
    with lock:  # 15:9
        total.value += (n + _double)  # 16:13
    print(pid(), pid())  # 17:9
main:  # 20:1
    adders = [Adder(i) for i in range(3)]  # 23:5
    for a in adders:  # 24:5
        a.start()  # 25:9
    for a in adders:  # 26:5
        a.join()  # 27:9
    print(total.value, adders[0].n)  # 28:5
)");
}

TEST_CASE("a function given as Process(target=...) is a template, and that call a start of it", "[python]") {
    CHECK(read_as(R"(from multiprocessing import Process, current_process as cp, parent_process
from random import randint as draw


def task(a, b):
    me = cp()
    print(f"{me.pid} {parent_process().pid} {a + b}")


if __name__ == "__main__":
    ps = [Process(target=task, args=(draw(1, 3), 2), name="t") for _ in range(2)]
    for p in ps:
        p.start()
        p.join()
)") == R"(process task(a, b):  # 5:1
    pass  # 6:5
    print(f"{pid()} {parent_pid()} {(a + b)}")  # 7:5
main:  # 10:1
    ps = [task(randint(1, 3), 2, name="t") for _ in range(2)]  # 11:5
    for p in ps:  # 12:5
        p.start()  # 13:9
        p.join()  # 14:9
)");
}

TEST_CASE("what the reader does not read gets one diagnostic at its place", "[python]") {
    CHECK(errors_of("from multiprocessing import Process, Pool\n\nif __name__ == \"__main__\":\n    with Pool(2) as p:\n        pass\n") ==
          "4:10: a `Pool` is not modelled by critsec\n");
    CHECK(errors_of("from multiprocessing import Process\n\ndef f():\n    pass\n\nif __name__ == \"__main__\":\n    Process(f).start()\n") ==
          "7:13: critsec reads `Process(target=..., args=(...))` with keywords\n");
    CHECK(errors_of("from multiprocessing import *\n") == "1:29: `from ... import *` hides which names the program uses\n");
    CHECK(errors_of("def f(x=1):\n    pass\n") == "1:8: default parameter values are not supported\n");
    CHECK(errors_of("x = 1\nprint(x)\n") ==
          "2:1: critsec reads definitions, imports and globals at a Python program's top level, found name `print`\n");
    CHECK(errors_of("from multiprocessing import Process\n\nclass W(Process):\n    def run(self):\n        print(self.count)\n\n"
                    "if __name__ == \"__main__\":\n    W().start()\n") == "5:15: `self.count` is not set in `W.__init__`\n");
    CHECK(errors_of("x = 1\n") == "1:1: no `if __name__ == \"__main__\":` block\n");
}

TEST_CASE("the tutorial's idiom for an empty file, `fd.readline() or 0`, reads as a string default", "[python]") {
    CHECK(read_as("if __name__ == \"__main__\":\n    with open(\"t.txt\", \"w+\") as fd:\n        v = fd.readline() or 0\n"
                  "    print(int(v))\n") ==
          "main:  # 1:1\n    with open(\"t.txt\", \"w+\") as fd:  # 2:5\n        v = (fd.readline() or \"0\")  # 3:9\n    print(int(v))  # 4:5\n");
}

TEST_CASE("helpers are inlined, try/finally is its two blocks, a, b = x, y one assignment each", "[python]") {
    CHECK(read_as(R"(from multiprocessing import Process, Value, Lock


def add(total, lock, amount):
    lock.acquire()
    try:
        d = twice(amount)
        total.value += d
    finally:
        lock.release()


def twice(x):
    y = x * 2
    return y


def main():
    total, lock = Value("i", 0), Lock()
    a, b = 1, 2
    a, b = b, a
    ps = [Process(target=add, args=(total, lock, a)) for _ in range(2)]
    for p in ps:
        p.start()


if __name__ == "__main__":
    main()
)") == R"(total = Value("i", 0)  # 19:5
lock = Lock()  # 19:12
process add(amount):  # 4:1
    lock.acquire()  # 5:5
    y = (amount * 2)  # 14:5
    d = y  # 14:5
    total.value += d  # 8:9
    lock.release()  # 10:9
main:  # 27:1
    a = 1  # 20:5
    b = 2  # 20:8
    _unpacked21_0 = b  # 21:5
    _unpacked21_1 = a  # 21:5
    a = _unpacked21_0  # 21:5
    b = _unpacked21_1  # 21:8
    ps = [add(a) for _ in range(2)]  # 22:5
    for p in ps:  # 23:5
        p.start()  # 24:9
)");
}

TEST_CASE("what the reader refuses in helpers, classes and shared objects", "[python]") {
    const std::string head = "from multiprocessing import Process, Value, parent_process\n";
    CHECK(errors_of(head + "def f(n):\n    f(n)\n\nif __name__ == \"__main__\":\n    f(1)\n") ==
          "3:5: helper `f` calls itself: critsec reads helpers that are not recursive\n");
    CHECK(errors_of(head + "def f(n):\n    if n:\n        return 1\n    return 2\n\nif __name__ == \"__main__\":\n    x = f(1)\n") ==
          "4:9: an early `return` in helper `f` is not read by critsec yet\n");
    CHECK(errors_of(head + "class W(Process):\n    def __init__(self, v):\n        self._v = v.value\n    def run(self):\n        pass\n\n"
                           "if __name__ == \"__main__\":\n    v = Value(\"i\", 0)\n    W(v).start()\n") ==
          "3:9: `__init__` does not call `super().__init__()`: CPython fails at `start()`\n"
          "4:19: critsec reads `self._v` set from `__init__`'s parameters, shared objects and constants only\n");
    CHECK(errors_of(head + "if __name__ == \"__main__\":\n    v = Value(\"i\", 0, lock=False)\n    with v.get_lock():\n        print(parent_process().pid)\n") ==
          "4:12: `v` was made with lock=False: it has no get_lock()\n"
          "5:15: in the main process `parent_process()` is None: this fails with AttributeError\n");
    CHECK(errors_of(head + "if __name__ == \"__main__\":\n    try:\n        pass\n    except ValueError:\n        pass\n") ==
          "5:5: `except` is not read by critsec: a failure ends the process\n");
}

TEST_CASE("__init__'s parameter keeps its value when run() has a local of its name, and non-ASCII names are names", "[python]") {
    CHECK(read_as("from multiprocessing import Process\n\nclass W(Process):\n    def __init__(self, n):\n        super().__init__()\n"
                  "        self._n = n\n    def run(self):\n        n = 100\n        tamaño = self._n + 1\n        print(n, tamaño)\n\n"
                  "if __name__ == \"__main__\":\n    W(1).start()\n") ==
          "process W(init_n):  # 3:1\n    n = 100  # 8:9\n    tamaño = (init_n + 1)  # 9:9\n    print(n, tamaño)  # 10:9\nmain:  # 12:1\n"
          "    W(1).start()  # 13:5\n");
}

TEST_CASE("a process's name: Process(name=...), current_process().name, self.name", "[python]") {
    CHECK(read_as("from multiprocessing import Process, current_process\n\n"
                  "def worker(n):\n    print(current_process().name, n)\n\n"
                  "class W(Process):\n    def run(self):\n        print(self.name)\n\n"
                  "if __name__ == \"__main__\":\n"
                  "    p = Process(target=worker, name=f\"w{1}\", args=(1,))\n"
                  "    q = Process(target=worker, kwargs={\"n\": 2})\n"
                  "    w = W()\n"
                  "    print(p.name, current_process().name)\n") ==
          "process W():  # 6:1\n    print(process_name())  # 8:9\nprocess worker(n):  # 3:1\n    print(process_name(), n)  # 4:5\n"
          "main:  # 10:1\n    p = worker(1, name=f\"w{1}\")  # 11:5\n    q = worker(2)  # 12:5\n    w = W()  # 13:5\n"
          "    print(p.name, process_name())  # 14:5\n");
    CHECK(errors_of("from multiprocessing import Process, parent_process\n\ndef f():\n    print(parent_process().name)\n\n"
                    "if __name__ == \"__main__\":\n    Process(target=f).start()\n") ==
          "4:28: `.name` of a process is not read by critsec yet\n");
}

TEST_CASE("a break or continue in a try: body is refused, as it would skip finally:", "[python]") {
    CHECK(errors_of("from multiprocessing import Process, Lock\n\ndef f(lock):\n    while True:\n        lock.acquire()\n"
                    "        try:\n            break\n        finally:\n            lock.release()\n\n"
                    "if __name__ == \"__main__\":\n    lock = Lock()\n    Process(target=f, args=(lock,)).start()\n") ==
          "7:13: critsec reads `try:` as its two blocks one after the other: a `break` or `continue` in it would skip `finally:`\n");
}

TEST_CASE("a process's end as written: daemon=, join(timeout), is_alive(), exitcode, terminate(), p.pid", "[python]") {
    CHECK(read_as("from multiprocessing import Process\n\n"
                  "def worker(n):\n    print(n)\n\n"
                  "if __name__ == \"__main__\":\n"
                  "    p = Process(target=worker, args=(1,), daemon=True)\n"
                  "    p.start()\n"
                  "    p.join(timeout=1)\n"
                  "    print(\"vivo\" if p.is_alive() else \"no\", p.pid, p.exitcode)\n"
                  "    p.terminate()\n") ==
          "process worker(n):  # 3:1\n    print(n)  # 4:5\n"
          "main:  # 6:1\n    p = worker(1, daemon=True)  # 7:5\n    p.start()  # 8:5\n    p.join(timeout=1)  # 9:5\n"
          "    print((\"vivo\" if p.is_alive() else \"no\"), p.pid, p.exitcode)  # 10:5\n    p.terminate()  # 11:5\n");
    CHECK(errors_of("from multiprocessing import Process\n\ndef f():\n    print(1)\n\n"
                    "if __name__ == \"__main__\":\n    p = Process(target=f)\n    p.start()\n    p.join()\n    p.close()\n") ==
          "10:7: a process's `close()` is not modelled by critsec\n");
}
