#include "model/parser.hpp"

#include <fmt/format.h>

#include <limits>

#include "model/lexer.hpp"

namespace critsec {
namespace {

using namespace ast;

// Thrown inside one statement; caught where the parser can resynchronise.
struct SyntaxError {
    Diagnostic diag;
};

class Parser {
public:
    explicit Parser(const std::vector<Token>& tokens) : toks_(tokens) {}

    ParseResult parse_module() {
        Module module;
        while (!at(Tok::End)) {
            size_t start = pos_;
            try {
                parse_top_item(module);
            } catch (const SyntaxError& e) {
                diags_.push_back(e.diag);
                synchronize();
            }
            // A stray dedent at the top level: recovery must always move on.
            if (pos_ == start) advance();
        }
        return {std::move(module), std::move(diags_)};
    }

    // For f-string fragments: one expression and nothing after it.
    ExprPtr parse_lone_expression() {
        ExprPtr e = parse_expr();
        while (at(Tok::Newline)) ++pos_;
        if (!at(Tok::End))
            fail(peek(), fmt::format("unexpected {} in f-string expression", token_name(peek().kind)),
                 at(Tok::Assign) ? "`{x=}` is not supported: write `x={x}`" : "");
        return e;
    }

    Diagnostics take_diagnostics() { return std::move(diags_); }

private:
    const Token& peek(int ahead = 0) const {
        size_t i = std::min(pos_ + ahead, toks_.size() - 1);
        return toks_[i];
    }
    bool at(Tok kind) const { return peek().kind == kind; }
    const Token& advance() {
        const Token& t = peek();
        if (pos_ < toks_.size() - 1) ++pos_;
        return t;
    }
    bool accept(Tok kind) {
        if (!at(kind)) return false;
        advance();
        return true;
    }

    [[noreturn]] void fail(const Token& at_token, std::string message, std::string hint = "") {
        throw SyntaxError{{Severity::Error, at_token.loc, std::max(1, at_token.length), std::move(message), std::move(hint)}};
    }

    std::string describe(const Token& t) const {
        if (t.kind == Tok::Name) return fmt::format("name `{}`", t.text);
        if (t.kind == Tok::Int) return fmt::format("number `{}`", t.text);
        return token_name(t.kind);
    }

    const Token& expect(Tok kind, const char* context, std::string hint = "") {
        if (!at(kind)) fail(peek(), fmt::format("expected {} {}, found {}", token_name(kind), context, describe(peek())), std::move(hint));
        return advance();
    }

    // Skips the rest of a broken statement, and the block it opened, if any.
    void synchronize() {
        int depth = 0;
        while (!at(Tok::End)) {
            Tok k = advance().kind;
            if (k == Tok::Indent) ++depth;
            if (k == Tok::Dedent && --depth <= 0) {
                if (depth < 0) {
                    --pos_;  // that dedent closes an enclosing block
                    return;
                }
                if (!at(Tok::Indent)) return;
            }
            if (k == Tok::Newline && depth == 0 && !at(Tok::Indent)) return;
        }
    }

    void parse_top_item(Module& module) {
        operators_ = 0;
        const Token& t = peek();
        switch (t.kind) {
            case Tok::Newline: advance(); return;
            case Tok::KwImport:
            case Tok::KwFrom:
                // Accepted and ignored, so that a tutorial program's imports can stay.
                while (!at(Tok::Newline) && !at(Tok::End)) advance();
                return;
            case Tok::Name:
                // `process` and `main` are keywords only here, so programs may use them as names.
                if (t.text == "process" && peek(1).kind == Tok::Name) {
                    module.processes.push_back(parse_process());
                    return;
                }
                if (t.text == "main" && (peek(1).kind == Tok::Colon || peek(1).kind == Tok::Newline)) {
                    Loc loc = advance().loc;
                    if (!accept(Tok::Colon)) {
                        diags_.push_back({Severity::Error, peek().loc, 1, "expected `:` after `main`, found end of line", ""});
                    }
                    add_main(module, loc);
                    return;
                }
                if (peek(1).kind == Tok::Assign) {
                    TopAssign g;
                    g.name = advance().text;
                    g.name_loc = t.loc;
                    g.loc = t.loc;
                    advance();
                    g.value = parse_expr();
                    end_of_simple_statement();
                    module.globals.push_back(std::move(g));
                    return;
                }
                fail(t, fmt::format("expected a global, `process` or `main:` at the top level, found {}", describe(t)),
                     "top-level statements belong in `main:`");
            case Tok::KwIf:
                if (peek(1).kind == Tok::Name && peek(1).text == "__name__") {
                    Loc loc = advance().loc;
                    while (!at(Tok::Colon) && !at(Tok::Newline) && !at(Tok::End)) advance();
                    expect(Tok::Colon, "after `if __name__ == \"__main__\"`");
                    add_main(module, loc);
                    return;
                }
                fail(t, "statements at the top level must be inside `main:`",
                     "put the program's main code in a `main:` block");
            case Tok::KwElif:
            case Tok::KwElse:
                fail(t, fmt::format("{} without a matching `if`", token_name(t.kind)), "check the indentation of the `if` above");
            case Tok::KwDef:
            case Tok::KwClass:
                fail(t, fmt::format("{} is not part of critsec", token_name(t.kind)),
                     "declare a process body with `process Name(params):`, as in `process Adder(n1, n2):`");
            default:
                if (t.kind == Tok::Indent) fail(t, "unexpected indent");
                fail(t, fmt::format("expected a global, `process` or `main:` at the top level, found {}", describe(t)),
                     "top-level statements belong in `main:`");
        }
    }

    void add_main(Module& module, Loc loc) {
        Block body = parse_block();
        if (module.main) {
            diags_.push_back({Severity::Error, loc, 4, "duplicate `main:` block", "a spec has one `main:` block"});
            return;
        }
        module.main = MainDef{std::move(body), loc};
    }

    ProcessDef parse_process() {
        ProcessDef def;
        def.loc = advance().loc;
        const Token& name = expect(Tok::Name, "after `process`", "name the process, as in `process Adder(n1, n2):`");
        def.name = name.text;
        def.name_loc = name.loc;
        expect(Tok::LParen, "after the process name", "a process lists its parameters, even none: `process Worker():`");
        if (!at(Tok::RParen)) {
            do {
                if (at(Tok::RParen)) break;
                const Token& p = expect(Tok::Name, "as a parameter name");
                def.params.push_back({p.text, p.loc});
            } while (accept(Tok::Comma));
        }
        expect(Tok::RParen, "after the parameters");
        expect(Tok::Colon, "after the process header");
        def.body = parse_block();
        return def;
    }

    // A block after `:`: either an indented suite or one simple statement on the same line.
    Block parse_block() {
        DepthGuard guard(*this, peek());
        Block block;
        if (!accept(Tok::Newline)) {
            block.push_back(parse_simple_statement());
            return block;
        }
        if (!at(Tok::Indent)) fail(peek(), "expected an indented block", "indent the lines of the block under its header");
        advance();
        while (!at(Tok::Dedent) && !at(Tok::End)) {
            size_t start = pos_;
            try {
                block.push_back(parse_statement());
            } catch (const SyntaxError& e) {
                diags_.push_back(e.diag);
                synchronize();
            }
            if (pos_ == start) advance();
        }
        accept(Tok::Dedent);
        return block;
    }

    void end_of_simple_statement() {
        if (at(Tok::End) || at(Tok::Dedent)) return;
        if (at(Tok::Comma)) fail(peek(), "tuples are not supported", "assign each name on its own line");
        if (!at(Tok::Newline)) {
            std::string hint;
            if (at(Tok::Name) || at(Tok::Int) || at(Tok::String)) hint = "is an operator or a comma missing?";
            fail(peek(), fmt::format("unexpected {} after the statement", describe(peek())), hint);
        }
        advance();
    }

    Stmt parse_statement() {
        operators_ = 0;
        const Token& t = peek();
        Stmt s;
        s.loc = t.loc;
        switch (t.kind) {
            case Tok::KwIf: {
                If node;
                advance();
                ExprPtr cond = parse_expr();
                expect(Tok::Colon, "after the `if` condition", at(Tok::Assign) ? "to compare, use `==`" : "");
                node.branches.push_back({std::move(cond), parse_block()});
                while (at(Tok::KwElif)) {
                    advance();
                    ExprPtr c = parse_expr();
                    expect(Tok::Colon, "after the `elif` condition", at(Tok::Assign) ? "to compare, use `==`" : "");
                    node.branches.push_back({std::move(c), parse_block()});
                }
                if (accept(Tok::KwElse)) {
                    expect(Tok::Colon, "after `else`");
                    node.orelse = parse_block();
                }
                s.node = std::move(node);
                return s;
            }
            case Tok::KwWhile: {
                advance();
                ExprPtr cond = parse_expr();
                expect(Tok::Colon, "after the `while` condition", at(Tok::Assign) ? "to compare, use `==`" : "");
                s.node = While{std::move(cond), parse_block()};
                return s;
            }
            case Tok::KwFor: {
                advance();
                const Token& var = expect(Tok::Name, "after `for`", "a loop variable, as in `for p in procs:`");
                For node{var.text, var.loc, nullptr, {}};
                expect(Tok::KwIn, "after the loop variable");
                node.iterable = parse_expr();
                expect(Tok::Colon, "after the `for` header");
                node.body = parse_block();
                s.node = std::move(node);
                return s;
            }
            case Tok::KwWith: {
                advance();
                With node;
                node.context = parse_expr();
                if (accept(Tok::KwAs)) {
                    const Token& n = expect(Tok::Name, "after `as`");
                    node.as_name = n.text;
                    node.as_loc = n.loc;
                }
                if (at(Tok::Comma)) fail(peek(), "one context manager per `with`", "nest two `with` statements instead");
                expect(Tok::Colon, "after the `with` header");
                node.body = parse_block();
                s.node = std::move(node);
                return s;
            }
            case Tok::KwElif:
            case Tok::KwElse:
                fail(t, fmt::format("{} without a matching `if`", token_name(t.kind)), "check the indentation of the `if` above");
            case Tok::Indent:
                fail(t, "unexpected indent", "indent a block only after a line ending in `:`");
            default:
                return parse_simple_statement();
        }
    }

    Stmt parse_simple_statement() {
        operators_ = 0;
        const Token& t = peek();
        Stmt s;
        s.loc = t.loc;
        switch (t.kind) {
            case Tok::KwPass:
                advance();
                s.node = Pass{};
                break;
            case Tok::KwAssert: {
                advance();
                Assert node;
                node.cond = parse_expr();
                if (accept(Tok::Comma)) node.message = parse_expr();
                s.node = std::move(node);
                break;
            }
            case Tok::KwGlobal: {
                advance();
                Global node;
                do node.names.push_back(expect(Tok::Name, "after `global`").text);
                while (accept(Tok::Comma));
                s.node = std::move(node);
                break;
            }
            case Tok::KwReturn:
            case Tok::KwBreak:
            case Tok::KwContinue:
            case Tok::KwDef:
            case Tok::KwClass:
            case Tok::KwImport:
            case Tok::KwFrom:
            case Tok::KwLambda:
                fail(t, fmt::format("{} is not supported in critsec specs", token_name(t.kind)),
                     t.kind == Tok::KwBreak || t.kind == Tok::KwContinue ? "use a `while` loop with a condition instead"
                     : t.kind == Tok::KwReturn ? "a process ends at the end of its body" : "");
            default: {
                if ((t.text == "process" && peek(1).kind == Tok::Name) || (t.text == "main" && peek(1).kind == Tok::Colon))
                    fail(t, fmt::format("`{}` must be at the top level, not inside a block", t.text), "check the indentation");
                ExprPtr target = parse_expr();
                AssignOp op;
                switch (peek().kind) {
                    case Tok::Assign: op = AssignOp::Set; break;
                    case Tok::PlusAssign: op = AssignOp::Add; break;
                    case Tok::MinusAssign: op = AssignOp::Sub; break;
                    case Tok::StarAssign: op = AssignOp::Mul; break;
                    default:
                        s.node = ExprStmt{std::move(target)};
                        end_of_simple_statement();
                        return s;
                }
                advance();
                ExprPtr value = parse_expr();
                if (at(Tok::Assign)) fail(peek(), "chained assignment is not supported", "assign each name on its own line");
                s.node = Assign{std::move(target), op, std::move(value)};
                break;
            }
        }
        end_of_simple_statement();
        return s;
    }

    // ---- expressions, by precedence --------------------------------------------------

    // A long flat chain (`1 + 1 + ...`) builds a deep tree that later stages walk
    // recursively: cap the operators of one statement.
    static constexpr int kMaxOperators = 500;
    void count_operator(const Token& at) {
        if (++operators_ > kMaxOperators)
            fail(at, fmt::format("expression with more than {} operators", kMaxOperators), "split it over several statements");
    }

    static ExprPtr make(Loc loc, int length, decltype(Expr::node) node) {
        auto e = std::make_unique<Expr>();
        e->node = std::move(node);
        e->loc = loc;
        e->length = length;
        return e;
    }

    static int span(const Expr& from, const Token& last) {
        if (last.loc.line != from.loc.line) return from.length;
        return std::max(1, last.loc.col + last.length - from.loc.col);
    }

    const Token& previous() const { return toks_[pos_ == 0 ? 0 : pos_ - 1]; }

    // Deep nesting would overflow the stack of this recursive parser (and of every
    // later stage): refuse it with a diagnostic instead.
    static constexpr int kMaxDepth = 100;
    struct DepthGuard {
        Parser& parser;
        DepthGuard(Parser& p, const Token& at) : parser(p) {
            if (++parser.depth_ > kMaxDepth) {
                --parser.depth_;
                parser.fail(at, fmt::format("nesting deeper than {} levels", kMaxDepth), "split the expression or the block");
            }
        }
        ~DepthGuard() { --parser.depth_; }
    };

    ExprPtr parse_expr() {
        DepthGuard guard(*this, peek());
        return parse_or();
    }

    ExprPtr parse_or() {
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

    ExprPtr parse_and() {
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

    ExprPtr parse_not() {
        DepthGuard guard(*this, peek());
        if (at(Tok::KwNot)) {
            const Token& t = advance();
            ExprPtr operand = parse_not();
            int len = span(*make(t.loc, 3, BoolLit{}), previous());
            return make(t.loc, len, Unary{UnOp::Not, std::move(operand)});
        }
        return parse_comparison();
    }

    ExprPtr parse_comparison() {
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

    ExprPtr parse_sum() {
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

    ExprPtr parse_product() {
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

    ExprPtr parse_unary() {
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

    ExprPtr parse_postfix() {
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

    ExprPtr parse_atom() {
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
                ExprPtr inner = parse_expr();
                if (at(Tok::Comma)) fail(peek(), "tuples are not supported", "");
                expect(Tok::RParen, "to close the parenthesis");
                return inner;
            }
            case Tok::LBracket: {
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
                    ExprPtr iterable = parse_expr();
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
            case Tok::KwNone:
                fail(t, "`None` is not supported", "use 0, \"\" or False");
            case Tok::KwLambda:
                fail(t, "`lambda` is not supported");
            case Tok::Newline:
            case Tok::End:
                fail(t, in_fstring_ ? "expected an expression before `}` in the f-string" : "expected an expression, found the end of the line",
                     previous().kind == Tok::Plus ? "`++` is not Python: write `+= 1`" : "");
            case Tok::Star:
                fail(t, "expected an expression, found `*`", "`**` (power) and `*args` are not supported");
            default:
                fail(t, fmt::format("expected an expression, found {}", describe(t)),
                     t.kind == Tok::PlusAssign || t.kind == Tok::Plus ? "`++` is not Python: write `+= 1`" : "");
        }
    }

    // Where the expression of an f-string field that opens before `from` ends, as
    // Python reads it: quotes and brackets inside the expression hide `}`, `:` and `!`.
    struct FieldScan {
        size_t close = std::string::npos;  // the closing `}`
        size_t spec = std::string::npos;   // a `:` or `!` conversion at depth 0
        bool nested_brace = false;         // a `{` outside the expression's strings
    };
    static FieldScan scan_field(const std::string& raw, size_t from) {
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

    ExprPtr parse_fstring(const Token& t) {
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
                if (!decoded) diags_.push_back({Severity::Error, here, 2, fmt::format("unknown escape sequence `\\{}`", raw[i + 1]), "the escapes are \\n \\t \\r \\0 \\\\ \\' \\\""});
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
                if (inner.find_first_not_of(" \t") == std::string::npos)
                    fail_at(here, "empty expression in f-string");
                if (field.nested_brace) fail_at(here, "nested braces in f-string are not supported");
                if (field.spec != std::string::npos)
                    fail_at({here.line, here.col + 1 + static_cast<int>(field.spec - i - 1)}, "format specifications in f-strings are not supported",
                            "write `{x}` and let critsec format it");
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

    [[noreturn]] void fail_at(Loc loc, std::string message, std::string hint = "") {
        throw SyntaxError{{Severity::Error, loc, 1, std::move(message), std::move(hint)}};
    }

    const std::vector<Token>& toks_;
    size_t pos_ = 0;
    int depth_ = 0;
    int operators_ = 0;
    bool in_fstring_ = false;
    Diagnostics diags_;
};

}  // namespace

ParseResult parse(const std::vector<Token>& tokens) { return Parser(tokens).parse_module(); }

}  // namespace critsec
