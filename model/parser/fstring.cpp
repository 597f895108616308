// f-strings: the literal text with its escapes, and each `{field}` parsed as an
// expression by a parser of its own over the field's tokens.
#include <fmt/format.h>

#include "model/lexer.hpp"
#include "model/parser/recursive_descent.hpp"

namespace critsec::parsing {

namespace {

// Where the expression of an f-string field that opens before `from` ends, as
// Python reads it: quotes and brackets inside the expression hide `}`, `:` and `!`.
struct FieldScan {
    size_t close = std::string::npos;  // the closing `}`
    size_t spec = std::string::npos;   // a `:` or `!` conversion at depth 0
    bool nested_brace = false;         // a `{` outside the expression's strings
};

FieldScan scan_field(const std::string& raw, size_t from) {
    FieldScan out;
    int depth = 0;
    for (size_t k = from; k < raw.size(); ++k) {
        char ch = raw[k];
        if (ch == '\'' || ch == '"') {
            // A string literal inside the expression: skip to its closing quote.
            for (++k; k < raw.size() && raw[k] != ch; ++k)
                if (raw[k] == '\\') ++k;
            if (k >= raw.size()) return out;
        } else if (ch == '(' || ch == '[') {
            ++depth;
        } else if ((ch == ')' || ch == ']') && depth > 0) {
            --depth;
        } else if (ch == '{') {
            out.nested_brace = true;
        } else if (ch == '}' && depth == 0) {
            out.close = k;
            return out;
        } else if (depth == 0 && out.spec == std::string::npos &&
                   (ch == ':' || (ch == '!' && !(k + 1 < raw.size() && raw[k + 1] == '=')))) {
            out.spec = k;
        }
    }
    return out;
}

}  // namespace

ExprPtr Parser::parse_lone_expression() {
    ExprPtr e = parse_expr();
    while (at(Tok::Newline)) ++pos_;
    if (!at(Tok::End))
        fail(peek(), fmt::format("unexpected {} in f-string expression", token_name(peek().kind)),
             at(Tok::Assign) ? "`{x=}` is not supported: write `x={x}`" : "");
    return e;
}

ExprPtr Parser::parse_fstring(const Token& t) {
    FString fs;
    const std::string& raw = t.text;
    // Columns of `raw` start after the `f` and the quote.
    int base_col = t.loc.col + 2;
    std::string literal;
    auto flush = [&] {
        if (!literal.empty()) fs.parts.push_back({std::move(literal), nullptr});
        literal.clear();
    };
    for (size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        Loc here{t.loc.line, base_col + static_cast<int>(i)};
        if (c == '\\' && i + 1 < raw.size()) {
            auto decoded = escape_value(raw[i + 1]);
            if (!decoded)
                diags_.push_back({Severity::Error, here, 2, fmt::format("unknown escape sequence `\\{}`", raw[i + 1]),
                                  "the escapes are \\n \\t \\r \\0 \\\\ \\' \\\""});
            literal += decoded.value_or(raw[i + 1]);
            ++i;
        } else if (c == '{' && i + 1 < raw.size() && raw[i + 1] == '{') {
            literal += '{';
            ++i;
        } else if (c == '}' && i + 1 < raw.size() && raw[i + 1] == '}') {
            literal += '}';
            ++i;
        } else if (c == '}') {
            fail_at(here, "single `}` in f-string", "write `}}` for a literal brace");
        } else if (c == '{') {
            FieldScan field = scan_field(raw, i + 1);
            if (field.close == std::string::npos) fail_at(here, "`{` in f-string is never closed", "write `{{` for a literal brace");
            size_t close = field.close;
            std::string inner = raw.substr(i + 1, close - i - 1);
            if (inner.find_first_not_of(" \t") == std::string::npos) fail_at(here, "empty expression in f-string");
            if (field.nested_brace) fail_at(here, "nested braces in f-string are not supported");
            if (field.spec != std::string::npos)
                fail_at({here.line, here.col + 1 + static_cast<int>(field.spec - i - 1)},
                        "format specifications in f-strings are not supported", "write `{x}` and let critsec format it");
            flush();
            Loc start{t.loc.line, here.col + 1};
            LexResult lexed = lex_fragment(inner, start);
            for (auto& d : lexed.diagnostics) diags_.push_back(std::move(d));
            Parser sub(lexed.tokens);
            sub.depth_ = depth_;
            sub.in_fstring_ = true;
            ExprPtr e = sub.parse_lone_expression();
            for (auto& d : sub.take_diagnostics()) diags_.push_back(std::move(d));
            fs.parts.push_back({"", std::move(e)});
            i = close;
        } else {
            literal += c;
        }
    }
    flush();
    return make(t.loc, t.length, std::move(fs));
}

[[noreturn]] void Parser::fail_at(Loc loc, std::string message, std::string hint) {
    throw SyntaxError{{Severity::Error, loc, 1, std::move(message), std::move(hint)}};
}

}  // namespace critsec::parsing
