// Expressions, by precedence: `or`, `and`, `not`, comparisons, sums, products,
// unary signs, postfix calls, attributes and indexing, and atoms.
#include <fmt/format.h>

#include <cctype>
#include <limits>
#include <optional>

#include "model/parser/recursive_descent.hpp"

namespace critsec::parsing {

void Parser::count_operator(const Token& at) {
    if (++operators_ > kMaxOperators)
        fail(at, fmt::format("expression with more than {} operators", kMaxOperators), "split it over several statements");
}

ExprPtr Parser::parse_expr() {
    DepthGuard guard(*this, peek());
    ExprPtr then = parse_or();
    if (!at(Tok::KwIf)) return then;
    count_operator(advance());
    ExprPtr cond = parse_or();
    expect(Tok::KwElse, "in the conditional expression", "write `a if condition else b`");
    ExprPtr orelse = parse_expr();
    Loc loc = then->loc;
    int length = span(*then, previous());
    return make(loc, length, Conditional{std::move(then), std::move(cond), std::move(orelse)});
}

ExprPtr Parser::parse_or() {
    ExprPtr left = parse_and();
    while (at(Tok::KwOr)) {
        count_operator(advance());
        ExprPtr right = parse_and();
        Loc loc = left->loc;
        int len = span(*left, previous());
        left = make(loc, len, Binary{BinOp::Or, std::move(left), std::move(right)});
    }
    return left;
}

ExprPtr Parser::parse_and() {
    ExprPtr left = parse_not();
    while (at(Tok::KwAnd)) {
        count_operator(advance());
        ExprPtr right = parse_not();
        Loc loc = left->loc;
        int len = span(*left, previous());
        left = make(loc, len, Binary{BinOp::And, std::move(left), std::move(right)});
    }
    return left;
}

ExprPtr Parser::parse_not() {
    DepthGuard guard(*this, peek());
    if (at(Tok::KwNot)) {
        const Token& t = advance();
        ExprPtr operand = parse_not();
        int len = span(*make(t.loc, 3, BoolLit{}), previous());
        return make(t.loc, len, Unary{UnOp::Not, std::move(operand)});
    }
    return parse_comparison();
}

ExprPtr Parser::parse_comparison() {
    ExprPtr left = parse_sum();
    auto op_of = [](Tok k) -> std::optional<BinOp> {
        switch (k) {
            case Tok::Eq: return BinOp::Eq;
            case Tok::Ne: return BinOp::Ne;
            case Tok::Lt: return BinOp::Lt;
            case Tok::Le: return BinOp::Le;
            case Tok::Gt: return BinOp::Gt;
            case Tok::Ge: return BinOp::Ge;
            default: return std::nullopt;
        }
    };
    if (auto op = op_of(peek().kind)) {
        advance();
        ExprPtr right = parse_sum();
        if (op_of(peek().kind)) fail(peek(), "chained comparisons are not supported", "write `a < b and b < c`");
        Loc loc = left->loc;
        int len = span(*left, previous());
        left = make(loc, len, Binary{*op, std::move(left), std::move(right)});
    }
    return left;
}

ExprPtr Parser::parse_sum() {
    ExprPtr left = parse_product();
    while (at(Tok::Plus) || at(Tok::Minus)) {
        count_operator(peek());
        BinOp op = advance().kind == Tok::Plus ? BinOp::Add : BinOp::Sub;
        ExprPtr right = parse_product();
        Loc loc = left->loc;
        int len = span(*left, previous());
        left = make(loc, len, Binary{op, std::move(left), std::move(right)});
    }
    return left;
}

ExprPtr Parser::parse_product() {
    ExprPtr left = parse_unary();
    while (at(Tok::Star) || at(Tok::Slash) || at(Tok::SlashSlash) || at(Tok::Percent)) {
        count_operator(peek());
        Tok k = advance().kind;
        BinOp op = k == Tok::Star ? BinOp::Mul : k == Tok::Slash ? BinOp::Div : k == Tok::SlashSlash ? BinOp::FloorDiv : BinOp::Mod;
        ExprPtr right = parse_unary();
        Loc loc = left->loc;
        int len = span(*left, previous());
        left = make(loc, len, Binary{op, std::move(left), std::move(right)});
    }
    return left;
}

ExprPtr Parser::parse_unary() {
    DepthGuard guard(*this, peek());
    if (at(Tok::Minus) || at(Tok::Plus)) {
        const Token& t = advance();
        bool negate = t.kind == Tok::Minus;
        if (negate && at(Tok::Int) && peek().text == kInt64MinMagnitude) {
            // -2**63 is a 64-bit int although 2**63 is not: as in Python, it can be written.
            const Token& lit = advance();
            return make(t.loc, lit.loc.col + lit.length - t.loc.col, IntLit{std::numeric_limits<long long>::min()});
        }
        ExprPtr operand = parse_unary();
        if (!negate) return operand;
        // Fold `-5` here so that typecode range checks see a literal.
        auto* lit = std::get_if<IntLit>(&operand->node);
        if (lit && lit->value != std::numeric_limits<long long>::min()) {
            lit->value = -lit->value;
            operand->loc = t.loc;
            operand->length += 1;
            return operand;
        }
        int len = span(*make(t.loc, 1, BoolLit{}), previous());
        return make(t.loc, len, Unary{UnOp::Neg, std::move(operand)});
    }
    return parse_postfix();
}

ExprPtr Parser::parse_postfix() {
    ExprPtr e = parse_atom();
    for (;;) {
        if (at(Tok::Dot)) {
            advance();
            const Token& name = expect(Tok::Name, "after `.`", "an attribute or method name, as in `total.value`");
            Loc loc = e->loc;
            int len = span(*e, name);
            e = make(loc, len, Attribute{std::move(e), name.text, name.loc});
        } else if (at(Tok::LParen)) {
            advance();
            Call call;
            call.callee = std::move(e);
            while (!at(Tok::RParen)) {
                if (at(Tok::Name) && peek(1).kind == Tok::Assign) {
                    const Token& kw = advance();
                    advance();
                    call.keywords.push_back({kw.text, parse_expr(), kw.loc});
                } else {
                    if (!call.keywords.empty()) fail(peek(), "positional argument after a keyword argument");
                    call.args.push_back(parse_expr());
                }
                if (!accept(Tok::Comma)) break;
            }
            expect(Tok::RParen, "to close the call", "is a comma missing between arguments?");
            Loc loc = call.callee->loc;
            int len = span(*call.callee, previous());
            e = make(loc, len, std::move(call));
        } else if (at(Tok::LBracket)) {
            advance();
            ExprPtr index = parse_expr();
            if (at(Tok::Colon)) fail(peek(), "slices are not supported", "index one element at a time: `arr[i]`");
            expect(Tok::RBracket, "to close the index");
            Loc loc = e->loc;
            int len = span(*e, previous());
            e = make(loc, len, Index{std::move(e), std::move(index)});
        } else {
            return e;
        }
    }
}

ExprPtr Parser::parse_atom() {
    const Token& t = peek();
    switch (t.kind) {
        case Tok::Int: {
            advance();
            if (t.text == kInt64MinMagnitude) {
                diags_.push_back({Severity::Error, t.loc, t.length, fmt::format("integer `{}` is too large", t.text),
                                  "integers are limited to 64 bits"});
                return make(t.loc, t.length, IntLit{0});
            }
            long long v = 0;
            for (char c : t.text) v = v * 10 + (c - '0');
            return make(t.loc, t.length, IntLit{v});
        }
        case Tok::Float: {
            advance();
            std::string digits = t.text;
            if (digits.back() == '.') digits += '0';  // `12.`
            return make(t.loc, t.length, FloatLit{std::stod(digits)});
        }
        case Tok::String: {
            advance();
            std::string value = t.text;
            // Adjacent literals concatenate, as in Python.
            while (at(Tok::String)) value += advance().text;
            return make(t.loc, t.length, StrLit{std::move(value)});
        }
        case Tok::FString: advance(); return parse_fstring(t);
        case Tok::KwTrue: advance(); return make(t.loc, 4, BoolLit{true});
        case Tok::KwFalse: advance(); return make(t.loc, 5, BoolLit{false});
        case Tok::Name: advance(); return make(t.loc, t.length, Name{t.text});
        case Tok::LParen: {
            advance();
            if (python_ && at(Tok::RParen)) {
                advance();
                ListLit empty;
                empty.tuple = true;
                return make(t.loc, 2, std::move(empty));
            }
            ExprPtr inner = parse_expr();
            if (at(Tok::Comma) && python_) {
                ListLit tuple;
                tuple.tuple = true;
                tuple.elements.push_back(std::move(inner));
                while (accept(Tok::Comma) && !at(Tok::RParen)) tuple.elements.push_back(parse_expr());
                expect(Tok::RParen, "to close the tuple");
                int len = previous().loc.line == t.loc.line ? previous().loc.col + 1 - t.loc.col : 1;
                return make(t.loc, len, std::move(tuple));
            }
            if (at(Tok::Comma)) fail(peek(), "tuples are not supported", "");
            expect(Tok::RParen, "to close the parenthesis");
            return inner;
        }
        case Tok::LBracket: return parse_list_display(t);
        case Tok::LBrace: return parse_dict_display(t);
        case Tok::KwNone: fail(t, "`None` is not supported", "use 0, \"\" or False");
        case Tok::KwLambda: fail(t, "`lambda` is not supported");
        case Tok::Newline:
        case Tok::End:
            fail(t, in_fstring_ ? "expected an expression before `}` in the f-string" : "expected an expression, found the end of the line",
                 previous().kind == Tok::Plus ? "`++` is not Python: write `+= 1`" : "");
        case Tok::Star: fail(t, "expected an expression, found `*`", "`**` (power) and `*args` are not supported");
        default:
            fail(t, fmt::format("expected an expression, found {}", describe(t)),
                 t.kind == Tok::PlusAssign || t.kind == Tok::Plus ? "`++` is not Python: write `+= 1`" : "");
    }
}

// `[a, b]`, `[]` and `[e for x in it]`.
ExprPtr Parser::parse_list_display(const Token& t) {
    advance();
    if (at(Tok::RBracket)) {
        advance();
        return make(t.loc, 2, ListLit{});
    }
    ExprPtr first = parse_expr();
    if (at(Tok::KwFor)) {
        advance();
        const Token& var = expect(Tok::Name, "after `for` in a list comprehension");
        expect(Tok::KwIn, "in the list comprehension");
        ExprPtr iterable = parse_or();  // as Python's grammar: an `if` after it filters, it is no conditional
        if (at(Tok::KwIf)) fail(peek(), "a condition in a list comprehension is not supported");
        expect(Tok::RBracket, "to close the list comprehension");
        int len = previous().loc.line == t.loc.line ? previous().loc.col + 1 - t.loc.col : 1;
        return make(t.loc, len, ListComp{std::move(first), var.text, var.loc, std::move(iterable)});
    }
    ListLit list;
    list.elements.push_back(std::move(first));
    while (accept(Tok::Comma)) {
        if (at(Tok::RBracket)) break;
        list.elements.push_back(parse_expr());
    }
    expect(Tok::RBracket, "to close the list");
    int len = previous().loc.line == t.loc.line ? previous().loc.col + 1 - t.loc.col : 1;
    return make(t.loc, len, std::move(list));
}

namespace {
// A parameter's name (non-ASCII letters are the lexer's to judge: a wrong one is
// then an unknown parameter).
bool looks_like_a_name(const std::string& s) {
    auto ok = [](unsigned char c, bool first) { return c == '_' || c >= 0x80 || std::isalpha(c) || (!first && std::isdigit(c)); };
    if (s.empty()) return false;
    for (size_t i = 0; i < s.size(); ++i)
        if (!ok(static_cast<unsigned char>(s[i]), i == 0)) return false;
    return true;
}
}  // namespace

// `{"counter": c, "times": 3}` in a Python program: the keyword arguments of
// `kwargs=`, the only place a dict is read. Its keys are names, so it is read as
// the call `dict(counter=c, times=3)`, which Python means by it too.
ExprPtr Parser::parse_dict_display(const Token& open) {
    advance();
    const char* hint = "critsec reads a dict as the keyword arguments of `kwargs=`, with a string key per parameter";
    Call call{make(open.loc, 1, Name{"dict"}), {}, {}};
    while (!at(Tok::RBrace)) {
        const Token& key = peek();
        bool name = key.kind == Tok::String && looks_like_a_name(key.text);
        if (!name) fail(key, "a dict key here must be a parameter's name, as a string", hint);
        advance();
        expect(Tok::Colon, "after the dict key");
        call.keywords.push_back({key.text, parse_expr(), key.loc});
        if (!accept(Tok::Comma)) break;
    }
    expect(Tok::RBrace, "to close the dict");
    int len = previous().loc.line == open.loc.line ? previous().loc.col + 1 - open.loc.col : 1;
    return make(open.loc, len, std::move(call));
}

}  // namespace critsec::parsing
