#pragma once
// A generator of small specs for the differential tests: Values (some wrapping
// around), an Array, a Lock, a Semaphore; one or two templates of a few
// statements (read-modify-writes, branches on shared values, asserts, prints,
// with-blocks, and on demand conditional expressions); two or three instances with constant or randint arguments;
// main starts them (sometimes joining each at once), may touch shared state,
// joins, asserts and prints the totals. With loops, also `while` loops that
// count up to a small bound on a shared Value (each ends, after a number of
// iterations the interleaving decides) and spin-waits on a flag that some
// statement may set (or nobody does: a livelock).
#include <fmt/format.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace critsec::test {

class SpecGenerator {
public:
    enum class Loops { Without, With };
    enum class Conditionals { Without, With };
    // Each option changes the stream of specs a seed gives (the tests' seeds were
    // chosen without them), so each is off unless asked for.
    explicit SpecGenerator(uint64_t seed, Loops loops = Loops::Without, Conditionals conditionals = Conditionals::Without)
        : rng_(seed), loops_(loops == Loops::With), conditionals_(conditionals == Conditionals::With) {}

    std::string next() {
        std::string out;
        bool wrap = pick(3) == 0;
        out += fmt::format("v = Value(\"{}\", {})\n", wrap ? "b" : "i", wrap ? 120 + pick(8) : pick(2));
        out += "w = Value(\"i\", 0)\n";
        out += fmt::format("arr = Array(\"i\", [0, {}])\n", pick(3));
        out += "lock = Lock()\n";
        out += fmt::format("sem = Semaphore({})\n", 1 + pick(2));
        if (loops_) out += "c = Value(\"i\", 0)\nflag = Value(\"i\", 0)\n";
        out += "\n";
        int templates = 1 + pick(2);
        for (int t = 0; t < templates; ++t) {
            out += fmt::format("process P{}(a):\n", t);
            int statements = 1 + pick(3);
            for (int s = 0; s < statements; ++s) out += statement("    ", 0);
            out += "\n";
        }
        out += "main:\n";
        int instances = 2 + (pick(3) == 0);
        std::vector<std::string> names;
        for (int i = 0; i < instances; ++i) {
            names.push_back(fmt::format("p{}", i));
            std::string arg = pick(3) == 0 ? fmt::format("randint(0, {})", 1 + pick(2)) : std::to_string(pick(4));
            out += fmt::format("    p{} = P{}({})\n", i, pick(templates), arg);
        }
        bool serial = pick(5) == 0;
        for (const auto& n : names) {
            out += fmt::format("    {}.start()\n", n);
            if (serial) out += fmt::format("    {}.join()\n", n);
        }
        if (pick(4) == 0) out += main_statement();
        if (!serial)
            for (const auto& n : names)
                if (pick(6) != 0) out += fmt::format("    {}.join()\n", n);
        if (pick(2)) out += fmt::format("    assert v.value {} {}, \"final\"\n", pick(2) ? "<=" : "!=", pick(8));
        if (pick(3) == 0) out += "    print(f\"total {v.value} {w.value}\")\n";
        return out;
    }

private:
    int pick(int n) { return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(rng_)); }

    std::string main_statement() {
        switch (pick(3)) {
            case 0: return "    w.value += 1\n";
            case 1: return "    with lock:\n        v.value += 1\n";
            default: return "    print(\"main\")\n";
        }
    }

    std::string statement(const std::string& indent, int depth) {
        int kind = pick(depth == 0 ? (loops_ ? 14 : 11) : 7);
        switch (kind) {
            case 0: return indent + "v.value += a\n";
            case 1: return indent + "v.value = v.value + 1\n";
            case 2: return indent + fmt::format("arr[{}] += a + 1\n", pick(2) ? "a % 2" : std::to_string(pick(2)));
            case 3: return indent + "w.value += v.value\n";
            case 4: return indent + fmt::format("assert v.value {} {}, \"small\"\n", pick(2) ? "<" : ">=", pick(6));
            case 5:
                if (!conditionals_ || pick(2)) return indent + "print(f\"v is {v.value}\")\n";
                return indent + "w.value = a if v.value > a else w.value + 1\n";  // only the side picked reads
            case 6: return indent + fmt::format("if v.value > {}:\n", pick(3)) + statement(indent + "    ", depth + 1);
            case 7: return indent + "with lock:\n" + statement(indent + "    ", depth + 1) + statement(indent + "    ", depth + 1);
            case 8: return indent + "with sem:\n" + statement(indent + "    ", depth + 1);
            case 9: return indent + "lock.acquire()\n" + statement(indent, depth + 1) + indent + "lock.release()\n";
            case 10: return indent + "with v.get_lock():\n" + statement(indent + "    ", depth + 1);
            case 11: return indent + fmt::format("while c.value < {}:\n", 1 + pick(2)) + indent + "    c.value += 1\n";
            case 12: return indent + "while flag.value == 0:\n" + indent + "    pass\n";
            default: return indent + "flag.value = 1\n";
        }
    }

    std::mt19937_64 rng_;
    bool loops_;
    bool conditionals_;
};

}  // namespace critsec::test
