// The parser's module level: top-level items, process headers, blocks and
// statements, and the recovery that resynchronises after a syntax error so that
// one run reports every error. Expressions and f-strings are in model/parser/.
#include "model/parser.hpp"

#include <fmt/format.h>

#include "model/parser/recursive_descent.hpp"

namespace critsec::parsing {

ParseResult Parser::parse_module() {
    Module module;
    while (!at(Tok::End)) {
        size_t start = pos_;
        try {
            if (python_) parse_python_top_item(module);
            else parse_top_item(module);
        } catch (const SyntaxError& e) {
            report(e);
        }
        // A stray dedent at the top level: recovery must always move on.
        if (pos_ == start) advance();
    }
    return {std::move(module), std::move(diags_)};
}

// Past kErrorLimit errors the parse skips to the end: what follows is not reported.
void Parser::report(const SyntaxError& e) {
    diags_.push_back(e.diag);
    if (error_count(diags_) > kErrorLimit) pos_ = toks_.size() - 1;  // the End token
    else synchronize();
}

[[noreturn]] void Parser::fail(const Token& at_token, std::string message, std::string hint) {
    throw SyntaxError{{Severity::Error, at_token.loc, std::max(1, at_token.length), std::move(message), std::move(hint)}};
}

Parser::DepthGuard::DepthGuard(Parser& p, const Token& at) : parser(p) {
    if (++parser.depth_ > kMaxDepth) {
        --parser.depth_;
        parser.fail(at, fmt::format("nesting deeper than {} levels", kMaxDepth), "split the expression or the block");
    }
}

std::string Parser::describe(const Token& t) const {
    if (t.kind == Tok::Name) return fmt::format("name `{}`", t.text);
    if (t.kind == Tok::Int || t.kind == Tok::Float) return fmt::format("number `{}`", t.text);
    return token_name(t.kind);
}

const Token& Parser::expect(Tok kind, const char* context, std::string hint) {
    if (!at(kind)) fail(peek(), fmt::format("expected {} {}, found {}", token_name(kind), context, describe(peek())), std::move(hint));
    return advance();
}

// Skips the rest of a broken statement, and the block it opened, if any.
void Parser::synchronize() {
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

void Parser::parse_top_item(Module& module) {
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
            if (accept_main_guard(module)) return;
            fail(t, "statements at the top level must be inside `main:`", "put the program's main code in a `main:` block");
        case Tok::KwElif:
        case Tok::KwElse: fail(t, fmt::format("{} without a matching `if`", token_name(t.kind)), "check the indentation of the `if` above");
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

// `if __name__ == "__main__":` and its block, read as `main:`.
bool Parser::accept_main_guard(Module& module) {
    if (!at(Tok::KwIf) || peek(1).kind != Tok::Name || peek(1).text != "__name__") return false;
    Loc loc = advance().loc;
    while (!at(Tok::Colon) && !at(Tok::Newline) && !at(Tok::End)) advance();
    expect(Tok::Colon, "after `if __name__ == \"__main__\"`");
    add_main(module, loc);
    return true;
}

void Parser::add_main(Module& module, Loc loc) {
    Block body = parse_block();
    if (module.main) {
        diags_.push_back({Severity::Error, loc, 4, "duplicate `main:` block", "a spec has one `main:` block"});
        return;
    }
    module.main = MainDef{std::move(body), loc};
}

ProcessDef Parser::parse_process() {
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
Block Parser::parse_block() {
    DepthGuard guard(*this, peek());
    Block block;
    if (!accept(Tok::Newline)) {
        block.push_back(parse_simple_statement());
        return block;
    }
    if (!at(Tok::Indent)) fail(peek(), "expected an indented block", "indent the lines of the block under its header");
    advance();
    each_item_of_suite([&] { block.push_back(parse_statement()); });
    return block;
}

// The items of an indented suite up to its dedent, each parsed by `item`; a syntax
// error in one is reported and skipped, so that one run reports every error.
void Parser::each_item_of_suite(const std::function<void()>& item) {
    while (!at(Tok::Dedent) && !at(Tok::End)) {
        size_t start = pos_;
        try {
            item();
        } catch (const SyntaxError& e) {
            report(e);
        }
        if (pos_ == start) advance();
    }
    accept(Tok::Dedent);
}

void Parser::end_of_simple_statement() {
    if (at(Tok::End) || at(Tok::Dedent)) return;
    if (at(Tok::Comma)) fail(peek(), "tuples are not supported", "assign each name on its own line");
    if (!at(Tok::Newline)) {
        std::string hint;
        if (at(Tok::Name) || at(Tok::Int) || at(Tok::Float) || at(Tok::String)) hint = "is an operator or a comma missing?";
        fail(peek(), fmt::format("unexpected {} after the statement", describe(peek())), hint);
    }
    advance();
}

Stmt Parser::parse_statement() {
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
        case Tok::KwElse: fail(t, fmt::format("{} without a matching `if`", token_name(t.kind)), "check the indentation of the `if` above");
        case Tok::Indent: fail(t, "unexpected indent", "indent a block only after a line ending in `:`");
        case Tok::Name:
            if (python_ && t.text == "try" && peek(1).kind == Tok::Colon) return parse_try();
            return parse_simple_statement();
        default: return parse_simple_statement();
    }
}

Stmt Parser::parse_simple_statement() {
    operators_ = 0;
    const Token& t = peek();
    Stmt s;
    s.loc = t.loc;
    switch (t.kind) {
        case Tok::KwPass:
            advance();
            s.node = Pass{};
            break;
        case Tok::KwBreak:
            advance();
            s.node = Break{};
            break;
        case Tok::KwContinue:
            advance();
            s.node = Continue{};
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
            if (python_) {
                advance();
                Return node;
                if (!at(Tok::Newline) && !at(Tok::End) && !at(Tok::Dedent)) node.value = parse_expr();
                s.node = std::move(node);
                break;
            }
            [[fallthrough]];
        case Tok::KwDef:
        case Tok::KwClass:
        case Tok::KwImport:
        case Tok::KwFrom:
        case Tok::KwLambda:
            fail(t, fmt::format("{} is not supported in critsec specs", token_name(t.kind)),
                 t.kind == Tok::KwReturn ? "a process ends at the end of its body" : "");
        default: {
            if ((t.text == "process" && peek(1).kind == Tok::Name) || (t.text == "main" && peek(1).kind == Tok::Colon))
                fail(t, fmt::format("`{}` must be at the top level, not inside a block", t.text), "check the indentation");
            ExprPtr target = parse_expr();
            if (python_ && at(Tok::Comma)) target = parse_tuple_rest(std::move(target));
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
            if (python_ && at(Tok::Comma)) value = parse_tuple_rest(std::move(value));
            if (at(Tok::Assign)) fail(peek(), "chained assignment is not supported", "assign each name on its own line");
            s.node = Assign{std::move(target), op, std::move(value)};
            break;
        }
    }
    end_of_simple_statement();
    return s;
}

}  // namespace critsec::parsing

namespace critsec {

ParseResult parse(const std::vector<Token>& tokens, Dialect dialect) { return parsing::Parser(tokens, dialect).parse_module(); }

}  // namespace critsec
