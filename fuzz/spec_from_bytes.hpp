#pragma once
// A structure-aware generator for the fuzz targets that run the checker
// (fuzz_check.cpp, fuzz_differential.cpp): the fuzzer's bytes are the choices
// of a small grammar of *valid* specs, one byte a choice (0 once the bytes run
// out), so a mutation of one byte changes one choice. The grammar is the one of
// tests/spec_generator.hpp (Values that wrap, an Array, Locks, a Semaphore,
// read-modify-writes, branches, asserts, prints, with-blocks, while loops on a
// shared counter or a flag) grown with what a spec may do wrong at run time:
// files in every mode, an Array index out of range, a division by zero, a
// release of a lock not held, two locks taken in both orders, randint in a
// child, local lists, `for` loops, sleep, and watches (`# expect:` lines).
// Each local gets a name of its own, so a spec always type-checks; a byte
// string that makes one that does not compile is a generator bug, which
// fuzz/check_generator.sh measures.
#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace critsec::fuzz {

struct GeneratorOptions {
    bool loops = true;   // `while` loops (the differential target compares them more loosely)
    bool files = true;   // open/read/write
    bool watches = true; // `# expect:` watch lines
    int max_instances = 3;
};

class SpecFromBytes {
public:
    SpecFromBytes(const uint8_t* data, size_t size, GeneratorOptions options = {}) : data_(data), size_(size), o_(options) {}

    std::string spec() {
        std::string out;
        bool wrap = pick(3) == 0;
        out += fmt::format("v = Value(\"{}\", {})\n", wrap ? "b" : "i", wrap ? 120 + pick(8) : pick(3));
        out += "w = Value(\"i\", 0)\n";
        out += fmt::format("arr = Array(\"i\", [0, {}])\n", pick(3));
        out += "lock = Lock()\nlock2 = Lock()\n";
        out += fmt::format("sem = Semaphore({})\n", 1 + pick(2));
        out += "c = Value(\"i\", 0)\nflag = Value(\"i\", 0)\n";
        if (pick(4) == 0) out += fmt::format("g = {}\n", pick(5));
        globals_ = out.find("\ng = ") != std::string::npos;
        out += "\n";
        lines_ = count_lines(out);
        templates_ = 1 + pick(2);
        for (int t = 0; t < templates_; ++t) {
            std::string head = fmt::format("process P{}(a):\n", t);
            first_line_.push_back(lines_ + 2);
            std::string body;
            global_declared_ = globals_ && pick(3) == 0;
            if (global_declared_) body += "    global g\n";
            int statements = 1 + pick(4);
            for (int s = 0; s < statements; ++s) body += statement("    ", 0, false);
            out += head + body + "\n";
            lines_ = count_lines(out);
            last_line_.push_back(lines_ - 1);
        }
        out += "main:\n";
        global_declared_ = globals_;
        main_line_ = count_lines(out) + 1;
        out += main_block();
        if (o_.watches) out += watches();
        for (int i = 0; i < 8; ++i) main_inputs_.push_back(pick(2));
        return out;
    }

    // Eight of main's randint draws (0 or 1: in every range) to fix for a comparison of outcomes.
    const std::vector<int64_t>& main_inputs() const { return main_inputs_; }
    bool has_loops() const { return has_loops_; }

private:
    int pick(int n) {
        if (pos_ >= size_ || n <= 1) return 0;
        return data_[pos_++] % n;
    }
    static int count_lines(const std::string& s) {
        int n = 0;
        for (char ch : s) n += ch == '\n';
        return n;
    }
    std::string local() { return fmt::format("x{}", locals_++); }

    std::string arg() {
        switch (pick(4)) {
            case 0: {
                return fmt::format("randint(0, {})", 1 + pick(2));
            }
            case 1: return "v.value";
            default: return std::to_string(pick(4));
        }
    }

    std::string main_block() {
        std::string out;
        int instances = 1 + pick(o_.max_instances);
        std::vector<std::string> names;
        if (pick(4) == 0) {
            out += fmt::format("    ps = [P{}({}) for _ in range({})]\n", pick(templates_), arg(), instances);
            out += "    for p in ps:\n        p.start()\n";
            if (pick(3) == 0) out += main_statement();
            if (pick(6) != 0) out += "    for p in ps:\n        p.join()\n";
        } else {
            for (int i = 0; i < instances; ++i) {
                names.push_back(fmt::format("p{}", i));
                out += fmt::format("    p{} = P{}({})\n", i, pick(templates_), arg());
            }
            bool serial = pick(5) == 0;
            for (const auto& n : names) {
                out += fmt::format("    {}.start()\n", n);
                if (serial) out += fmt::format("    {}.join()\n", n);
            }
            if (pick(3) == 0) out += main_statement();
            if (!serial)
                for (const auto& n : names)
                    if (pick(6) != 0) out += fmt::format("    {}.join()\n", n);
        }
        if (pick(2)) out += fmt::format("    assert v.value {} {}, \"final\"\n", pick(2) ? "<=" : "!=", pick(8));
        if (pick(3) == 0) out += "    print(f\"total {v.value} {w.value} {arr[0]} {arr[1]}\")\n";
        if (o_.files && pick(5) == 0) out += "    with open(\"f.txt\", \"a+\") as fm:\n        fm.seek(0)\n        print(fm.read())\n";
        if (globals_ && pick(3) == 0) out += "    print(g)\n";
        return out;
    }

    std::string main_statement() {
        switch (pick(5)) {
            case 0: return "    w.value += 1\n";
            case 1: return "    with lock:\n        v.value += 1\n";
            case 2: return "    arr[1] = v.value\n";
            case 3: return statement("    ", 1, true);
            default: return "    print(\"main\")\n";
        }
    }

    std::string block(const std::string& indent, int depth, bool in_main) {
        std::string out = statement(indent, depth, in_main);
        if (pick(3) == 0) out += statement(indent, depth, in_main);
        return out;
    }

    std::string statement(const std::string& indent, int depth, bool in_main) {
        std::string in = indent + "    ";
        std::string a = in_main ? "1" : "a";
        int kinds = depth >= 2 ? 11 : 32;
        switch (pick(kinds)) {
            case 0: return indent + fmt::format("v.value += {}\n", a);
            case 1: return indent + fmt::format("v.value = v.value + {}\n", 1 + pick(2));
            case 2: return indent + fmt::format("arr[{}] += {} + 1\n", pick(2) ? a + " % 2" : std::to_string(pick(2)), a);
            case 3: return indent + "w.value += v.value\n";
            case 4: return indent + fmt::format("assert v.value {} {}, \"small\"\n", pick(2) ? "<" : ">=", pick(6));
            case 5: return indent + "print(f\"v is {v.value}\")\n";
            case 6: return indent + "flag.value = 1\n";
            case 7: return indent + fmt::format("sleep({})\n", pick(2));
            case 8: return indent + "sem.release()\n";
            case 9: return indent + fmt::format("print({}, pid())\n", a);
            case 10: return indent + "pass\n";
            case 11: {
                std::string out = indent + fmt::format("if v.value {} {}:\n", pick(2) ? ">" : "==", pick(3)) + block(in, depth + 1, in_main);
                if (pick(2)) out += indent + "else:\n" + block(in, depth + 1, in_main);
                return out;
            }
            case 12: return indent + "with lock:\n" + block(in, depth + 1, in_main);
            case 13: return indent + "with sem:\n" + block(in, depth + 1, in_main);
            case 14: return indent + "lock.acquire()\n" + block(indent, depth + 1, in_main) + indent + "lock.release()\n";
            case 15: return indent + "with v.get_lock():\n" + block(in, depth + 1, in_main);
            case 16:
                if (!o_.loops) return indent + "c.value += 1\n";
                has_loops_ = true;
                return indent + fmt::format("while c.value < {}:\n", 1 + pick(3)) + in + "c.value += 1\n";
            case 17:
                if (!o_.loops) return indent + "flag.value = 0\n";
                has_loops_ = true;
                return indent + "while flag.value == 0:\n" + in + "pass\n";
            case 18: return indent + "with lock2:\n" + in + "with lock:\n" + block(in + "    ", depth + 2, in_main);
            case 19: return indent + "with lock:\n" + in + "with lock2:\n" + block(in + "    ", depth + 2, in_main);
            case 20: return indent + "lock.release()\n";
            case 21: {  // a constant index is checked statically; `a + 1` may be out of range at run time
                std::string index = in_main || pick(2) ? std::to_string(pick(2)) : fmt::format("{} + {}", a, pick(2));
                return indent + fmt::format("arr[{}] = {}\n", index, a);
            }
            case 22: {
                std::string x = local();
                return indent + fmt::format("{} = v.value // ({} - {})\n", x, a, pick(3)) + indent + fmt::format("w.value = {}\n", x);
            }
            case 23: {
                std::string x = local();
                return indent + fmt::format("{} = randint(0, {})\n", x, 1 + pick(2)) + indent + fmt::format("if {} == 1:\n", x) +
                       block(in, depth + 1, in_main);
            }
            case 24: return indent + fmt::format("for j{} in range({}):\n", locals_++, 1 + pick(3)) + block(in, depth + 1, in_main);
            case 25: {
                std::string x = local();
                std::string index = in_main ? std::to_string(pick(3)) : fmt::format("{} + {}", a, pick(2));
                return indent + fmt::format("{} = [{}, v.value, 2]\n", x, a) + indent + fmt::format("w.value += {}[{}]\n", x, index);
            }
            case 26: {
                if (!o_.files) return indent + "w.value -= 1\n";
                static const char* modes[] = {"w+", "a+", "r+", "w", "a", "r"};
                std::string f = local(), s = local();
                const char* mode = modes[pick(6)];
                std::string out = indent + fmt::format("with open(\"f.txt\", \"{}\") as {}:\n", mode, f);
                switch (pick(4)) {
                    case 0: return out + in + fmt::format("{}.write(str({}))\n", f, a);
                    case 1:
                        return out + in + fmt::format("{} = {}.readline() or \"0\"\n", s, f) + in + fmt::format("{}.write(str(int({}) + {}))\n", f, s, a);
                    case 2: return out + in + fmt::format("{}.seek({})\n", f, pick(3)) + in + fmt::format("{}.write(\"{}\")\n", f, pick(2) ? "7" : "11");
                    default: return out + in + fmt::format("{} = {}.read()\n", s, f) + in + fmt::format("w.value = len({})\n", s);
                }
            }
            case 27: {
                if (!global_declared_) return indent + "w.value += 2\n";
                return indent + "g += 1\n" + indent + "print(g)\n";
            }
            case 28: {
                std::string x = local();
                return indent + fmt::format("{} = str(v.value) + \"-\" + str({})\n", x, a) + indent + fmt::format("print({})\n", x);
            }
            case 29: return indent + fmt::format("v.value *= {}\n", 2 + pick(60));
            case 30: return indent + fmt::format("assert arr[0] + arr[1] != {}, f\"sum {{arr[0]}}\"\n", pick(4));
            default: return indent + fmt::format("w.value = max(v.value, {}) - min({}, arr[1])\n", pick(3), a);
        }
    }

    std::string watches() {
        std::string out;
        int n = pick(4);
        for (int i = 0; i < n; ++i) {
            int t = pick(templates_);
            int from = first_line_[t] + pick(3), to = from + pick(4);
            switch (pick(5)) {
                case 0: out += fmt::format("# expect: max-inside P{} {}-{}: {}\n", t, from, to, 1 + pick(2)); break;
                case 1: out += fmt::format("# expect: reach-inside P{} {}-{}: {}\n", t, from, to, 1 + pick(2)); break;
                case 2: out += fmt::format("# expect: overlap P{}: {}\n", t, pick(2) ? "never" : "sometimes"); break;
                case 3: {
                    static const char* q[] = {"always", "sometimes", "never"};
                    out += fmt::format("# expect: order main:{} {} P{}:{}: {}\n", main_line_ + pick(4), pick(2) ? "after" : "before", t, from,
                                       q[pick(3)]);
                    break;
                }
                default: out += fmt::format("# expect: prints: P{}#1 \"v is {}\"\n", t, pick(3)); break;
            }
        }
        return out;
    }

    const uint8_t* data_;
    size_t size_;
    size_t pos_ = 0;
    GeneratorOptions o_;
    int templates_ = 1;
    int lines_ = 0;
    int main_line_ = 0;
    int locals_ = 0;
    bool globals_ = false;
    bool global_declared_ = false;  // `g` may be assigned here (main, or a process with `global g`)
    bool has_loops_ = false;
    std::vector<int> first_line_, last_line_;
    std::vector<int64_t> main_inputs_;
};

}  // namespace critsec::fuzz
