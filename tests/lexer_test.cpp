#include <catch2/catch.hpp>

#include "model/lexer.hpp"

using namespace critsec;

namespace {

std::vector<Tok> kinds(const std::string& text) {
    std::vector<Tok> out;
    for (const auto& t : lex(SourceFile("t.crit", text)).tokens) out.push_back(t.kind);
    return out;
}

}  // namespace

TEST_CASE("indentation becomes INDENT and DEDENT") {
    CHECK(kinds("main:\n    x = 1\n") == std::vector<Tok>{Tok::Name, Tok::Colon, Tok::Newline, Tok::Indent, Tok::Name, Tok::Assign,
                                                          Tok::Int, Tok::Newline, Tok::Dedent, Tok::End});
}

TEST_CASE("blank lines and comments do not change indentation") {
    auto k = kinds("main:\n    x = 1\n\n        # deep comment\n    y = 2\n");
    CHECK(std::count(k.begin(), k.end(), Tok::Indent) == 1);
    CHECK(std::count(k.begin(), k.end(), Tok::Dedent) == 1);
}

TEST_CASE("newlines inside brackets join lines") {
    auto k = kinds("x = [1,\n     2]\n");
    CHECK(std::count(k.begin(), k.end(), Tok::Newline) == 1);
    CHECK(std::count(k.begin(), k.end(), Tok::Indent) == 0);
}

TEST_CASE("strings decode escapes, f-strings keep them raw") {
    auto r = lex(SourceFile("t.crit", R"(a = "7\0\n"
b = f"{x}\n")"));
    REQUIRE(r.diagnostics.empty());
    CHECK(r.tokens[2].kind == Tok::String);
    CHECK(r.tokens[2].text == std::string("7\0\n", 3));
    CHECK(r.tokens[6].kind == Tok::FString);
    CHECK(r.tokens[6].text == "{x}\\n");
}

TEST_CASE("process and main are names to the lexer") {
    auto r = lex(SourceFile("t.crit", "process = 1\n"));
    CHECK(r.tokens[0].kind == Tok::Name);
}

TEST_CASE("operators") {
    CHECK(kinds("a += b // c == d != e <= f\n") == std::vector<Tok>{Tok::Name, Tok::PlusAssign, Tok::Name, Tok::SlashSlash, Tok::Name,
                                                                    Tok::Eq, Tok::Name, Tok::Ne, Tok::Name, Tok::Le, Tok::Name,
                                                                    Tok::Newline, Tok::End});
}

TEST_CASE("lexical errors are reported with positions and lexing goes on") {
    auto r = lex(SourceFile("t.crit", "x = \"open\ny = 3.5e2\nz = $\nw = 007\n"));
    REQUIRE(r.diagnostics.size() == 4);
    CHECK(r.diagnostics[0].message == "unterminated string");
    CHECK(r.diagnostics[0].loc == Loc{1, 5});
    CHECK(r.diagnostics[1].message == "invalid number `3.5e2`");
    CHECK(r.diagnostics[1].hint == "write a float as digits, a point and digits (`0.25`); no exponents or underscores");
    CHECK(r.diagnostics[2].message == "unexpected character `$`");
    CHECK(r.diagnostics[2].loc == Loc{3, 5});
    CHECK(r.diagnostics[3].message == "leading zeros are not allowed in `007`");
    CHECK(r.tokens.back().kind == Tok::End);
}

TEST_CASE("a float is digits, a point and digits") {
    auto r = lex(SourceFile("t.crit", "sleep(0.25)\nx = 12.\n"));
    REQUIRE(r.diagnostics.empty());
    CHECK(r.tokens[2].kind == Tok::Float);
    CHECK(r.tokens[2].text == "0.25");
    CHECK(r.tokens[7].kind == Tok::Float);
    CHECK(r.tokens[7].text == "12.");
}

TEST_CASE("an inconsistent dedent is an error") {
    auto r = lex(SourceFile("t.crit", "main:\n        x = 1\n    y = 2\n"));
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].message == "unindent does not match any outer indentation level");
    CHECK(r.diagnostics[0].loc == Loc{3, 5});
}

TEST_CASE("f-string fragments lex at their place in the spec") {
    auto r = lex_fragment("n1 + n2", {7, 20});
    CHECK(r.tokens[0].loc == Loc{7, 20});
    CHECK(r.tokens[2].loc == Loc{7, 25});
}

TEST_CASE("CRLF line endings and a missing final newline are fine") {
    auto r = lex(SourceFile("t.crit", "main:\r\n    x = 1"));
    CHECK(r.diagnostics.empty());
    CHECK(r.tokens.back().kind == Tok::End);
}

TEST_CASE("2**63 lexes as an int: the parser accepts it after a unary minus only") {
    auto r = lex(SourceFile("t.crit", "x = -9223372036854775808\ny = 9223372036854775809\n"));
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].message == "integer `9223372036854775809` is too large");
    CHECK(r.diagnostics[0].loc == Loc{2, 5});
    CHECK(r.tokens[3].kind == Tok::Int);
    CHECK(r.tokens[3].text == "9223372036854775808");
}
