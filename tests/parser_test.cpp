#include <catch2/catch.hpp>

#include <algorithm>

#include "model/lexer.hpp"
#include "model/parser.hpp"

using namespace critsec;

namespace {

ParseResult parse_text(const std::string& text) { return parse(lex(SourceFile("t.crit", text)).tokens); }

std::string round_trip(const std::string& text) {
    ParseResult r = parse_text(text);
    std::string errors;
    for (const auto& d : r.diagnostics) errors += d.message + "\n";
    INFO(errors);
    CHECK(r.diagnostics.empty());
    return ast::dump(r.module);
}

Diagnostic first(const std::string& text) {
    ParseResult r = parse_text(text);
    REQUIRE_FALSE(r.diagnostics.empty());
    return r.diagnostics[0];
}

}  // namespace

TEST_CASE("a spec's top level: globals, processes, main") {
    ParseResult r = parse_text(R"(from multiprocessing import Process, Value
total = Value("i", 0)

process Adder(n1, n2):
    total.value += n1 + n2

main:
    a = Adder(1, 2)
)");
    REQUIRE(r.diagnostics.empty());
    CHECK(r.module.globals.size() == 1);
    REQUIRE(r.module.processes.size() == 1);
    CHECK(r.module.processes[0].params.size() == 2);
    CHECK(r.module.main.has_value());
}

TEST_CASE("`if __name__ == \"__main__\":` is main") {
    ParseResult r = parse_text("if __name__ == \"__main__\":\n    x = 1\n");
    REQUIRE(r.diagnostics.empty());
    CHECK(r.module.main.has_value());
}

TEST_CASE("precedence and associativity") {
    CHECK(round_trip("main:\n    x = 1 + 2 * 3 - 4\n") == "main:  # 1:1\n    x = ((1 + (2 * 3)) - 4)  # 2:5\n");
    CHECK(round_trip("main:\n    x = not a and b or c\n") == "main:  # 1:1\n    x = ((not a and b) or c)  # 2:5\n");
    CHECK(round_trip("main:\n    x = -y.value\n") == "main:  # 1:1\n    x = -y.value  # 2:5\n");
}

TEST_CASE("compound statements") {
    std::string dumped = round_trip(R"(main:
    for p in procs:
        with lock:
            p.start()
    while x < 3:
        x += 1
    if a:
        pass
    elif b:
        pass
    else:
        assert c, "m"
    with open("f.txt", "w+") as f:
        f.write("1")
)");
    CHECK(dumped.find("for p in procs:") != std::string::npos);
    CHECK(dumped.find("with open(\"f.txt\", \"w+\") as f:") != std::string::npos);
    CHECK(dumped.find("elif b:") != std::string::npos);
    CHECK(dumped.find("assert c, \"m\"") != std::string::npos);
}

TEST_CASE("list comprehensions and f-strings") {
    CHECK(round_trip("main:\n    ps = [A(randint(1, 10)) for _ in range(5)]\n") ==
          "main:  # 1:1\n    ps = [A(randint(1, 10)) for _ in range(5)]  # 2:5\n");
    CHECK(round_trip("main:\n    print(f\"{a + 1} and {{b}}\")\n") == "main:  # 1:1\n    print(f\"{(a + 1)} and {b}\")  # 2:5\n");
}

TEST_CASE("every syntax error of a file is reported, not just the first") {
    ParseResult r = parse_text(R"(process A(x)
    pass

main
    x = 1 +
    y = 2
    z = 3 3
)");
    REQUIRE(r.diagnostics.size() == 4);
    CHECK(r.diagnostics[0].message == "expected `:` after the process header, found end of line");
    CHECK(r.diagnostics[0].loc == Loc{1, 13});
    CHECK(r.diagnostics[1].message == "expected `:` after `main`, found end of line");
    CHECK(r.diagnostics[2].message == "expected an expression, found the end of the line");
    CHECK(r.diagnostics[3].message == "unexpected number `3` after the statement");
}

TEST_CASE("Python constructs outside the language get a pointed message") {
    auto d = first("def worker(num):\n    print(num)\n");
    CHECK(d.message == "`def` is not part of critsec");
    CHECK(d.hint.find("process Name(params)") != std::string::npos);
    CHECK(first("main:\n    lambda: 1\n").message == "`lambda` is not supported in critsec specs");
    CHECK(parse_text("main:\n    while True:\n        break\n    for x in [1]:\n        continue\n").diagnostics.empty());
    CHECK(first("main:\n    x = a < b < c\n").message == "chained comparisons are not supported");
    CHECK(first("main:\n    x = a[1:2]\n").message == "slices are not supported");
    CHECK(first("main:\n    print(f\"{x:.2f}\")\n").message == "format specifications in f-strings are not supported");
}

TEST_CASE("nesting is bounded, so the parser's stack is") {
    std::string deep = "main:\n    x = " + std::string(500, '(') + "1" + std::string(500, ')') + "\n";
    ParseResult r = parse_text(deep);
    REQUIRE_FALSE(r.diagnostics.empty());
    CHECK(r.diagnostics[0].message == "nesting deeper than 100 levels");
}

TEST_CASE("garbage gets errors located inside the text, never a loop or a crash") {
    for (std::string text :
         {"\n\n    \n  x\n y\nz\n", ")))(((", "main:\n  x\n    y\n  z\n w\n", "process\n", "    \n\tmain:\n", "f\"{\"", "if __name__\n"}) {
        INFO(text);
        ParseResult r = parse_text(text);
        REQUIRE(has_errors(r.diagnostics));
        int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
        for (const auto& d : r.diagnostics) {
            CHECK(d.loc.line >= 1);
            CHECK(d.loc.line <= lines);
            CHECK(d.loc.col >= 1);
            CHECK(!d.message.empty());
        }
    }
    // A one-line block is Python, not garbage.
    CHECK_FALSE(has_errors(parse_text("main: x = 1\n").diagnostics));
}

TEST_CASE("an f-string field reads its string literals and brackets as Python does") {
    // `}`, `:` and `!` inside a quoted string (or brackets) of the expression do not end it.
    CHECK(round_trip("main:\n    print(f\"{'a:b'}\")\n") == "main:  # 1:1\n    print(f\"{\"a:b\"}\")  # 2:5\n");
    CHECK(round_trip("main:\n    print(f\"{str(k) + '!'}\")\n") == "main:  # 1:1\n    print(f\"{(str(k) + \"!\")}\")  # 2:5\n");
    CHECK(round_trip("main:\n    print(f\"{'}'} {'{'}\")\n") == "main:  # 1:1\n    print(f\"{\"}\"} {\"{\"}\")  # 2:5\n");
    CHECK(round_trip("main:\n    print(f'{\"x\" + \"]\"}{a != b}')\n") ==
          "main:  # 1:1\n    print(f\"{(\"x\" + \"]\")}{(a != b)}\")  # 2:5\n");
    // A format specification after the string is still one, at its column.
    auto spec = first("main:\n    print(f\"{'a:b':>5}\")\n");
    CHECK(spec.message == "format specifications in f-strings are not supported");
    CHECK(spec.loc.col == 19);
    CHECK(first("main:\n    print(f\"{'abc}\")\n").message == "`{` in f-string is never closed");
}

TEST_CASE("the literal -9223372036854775808 is an int, and 9223372036854775808 alone is too large") {
    CHECK(round_trip("main:\n    x = -9223372036854775808\n") == "main:  # 1:1\n    x = -9223372036854775808  # 2:5\n");
    CHECK(round_trip("main:\n    x = 1 - -9223372036854775808 // 2\n") ==
          "main:  # 1:1\n    x = (1 - (-9223372036854775808 // 2))  # 2:5\n");
    for (const char* text :
         {"main:\n    x = 9223372036854775808\n", "main:\n    x = +9223372036854775808\n", "main:\n    x = 1 - 9223372036854775808\n"}) {
        INFO(text);
        ParseResult r = parse_text(text);
        REQUIRE(r.diagnostics.size() == 1);
        CHECK(r.diagnostics[0].message == "integer `9223372036854775808` is too large");
        CHECK(r.diagnostics[0].hint == "integers are limited to 64 bits");
    }
}
