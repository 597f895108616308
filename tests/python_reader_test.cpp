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
    ps = [task(randint(1, 3), 2) for _ in range(2)]  # 11:5
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
    CHECK(errors_of("from multiprocessing import Process\n\nclass W(Process):\n    def run(self):\n        print(self.name)\n\n"
                    "if __name__ == \"__main__\":\n    W().start()\n") == "5:15: `self.name` is not set in `W.__init__`\n");
    CHECK(errors_of("x = 1\n") == "1:1: no `if __name__ == \"__main__\":` block\n");
}

TEST_CASE("the tutorial's idiom for an empty file, `fd.readline() or 0`, reads as a string default", "[python]") {
    CHECK(read_as("if __name__ == \"__main__\":\n    with open(\"t.txt\", \"w+\") as fd:\n        v = fd.readline() or 0\n"
                  "    print(int(v))\n") ==
          "main:  # 1:1\n    with open(\"t.txt\", \"w+\") as fd:  # 2:5\n        v = (fd.readline() or \"0\")  # 3:9\n    print(int(v))  # 4:5\n");
}
