#pragma once
// The parser's private class: recursive descent over the tokens, one method per
// rule. Its members are defined by concern: the module, blocks, statements and
// error recovery in model/parser.cpp, expressions in model/parser/expressions.cpp,
// f-strings in model/parser/fstring.cpp. Users call parse() (model/parser.hpp).
#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/ast.hpp"
#include "model/diagnostic.hpp"
#include "model/parser.hpp"
#include "model/token.hpp"

namespace critsec::parsing {

using namespace ast;

// Thrown inside one statement; caught where the parser can resynchronise.
struct SyntaxError {
    Diagnostic diag;
};

class Parser {
public:
    explicit Parser(const std::vector<Token>& tokens, Dialect dialect = Dialect::Crit)
        : toks_(tokens), python_(dialect == Dialect::Python) {}

    ParseResult parse_module();
    // For f-string fragments: one expression and nothing after it.
    ExprPtr parse_lone_expression();
    Diagnostics take_diagnostics() { return std::move(diags_); }

private:
    // ---- tokens -------------------------------------------------------------------------

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
    const Token& previous() const { return toks_[pos_ == 0 ? 0 : pos_ - 1]; }

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

    // ---- model/parser.cpp: errors, recovery, the module and statements ------------------

    [[noreturn]] void fail(const Token& at_token, std::string message, std::string hint = "");
    void report(const SyntaxError& e);
    std::string describe(const Token& t) const;
    const Token& expect(Tok kind, const char* context, std::string hint = "");
    void synchronize();
    void parse_top_item(Module& module);
    void add_main(Module& module, Loc loc);
    bool accept_main_guard(Module& module);
    ProcessDef parse_process();
    Block parse_block();
    void each_item_of_suite(const std::function<void()>& item);
    void end_of_simple_statement();
    Stmt parse_statement();
    Stmt parse_simple_statement();

    // ---- model/parser/python_module.cpp: a Python program's top level -------------------

    void parse_python_top_item(Module& module);
    void parse_import(Module& module);
    FunctionDef parse_def();
    ClassDef parse_class();
    std::string parse_dotted_name(const char* context);
    void skip_annotation();
    void parse_top_tuple_assignment(Module& module);
    ExprPtr parse_tuple_rest(ExprPtr first);
    Stmt parse_try();

    // Deep nesting would overflow the stack of this recursive parser (and of every
    // later stage): refuse it with a diagnostic instead.
    static constexpr int kMaxDepth = 100;
    struct DepthGuard {
        Parser& parser;
        DepthGuard(Parser& p, const Token& at);
        ~DepthGuard() { --parser.depth_; }
    };

    // ---- model/parser/expressions.cpp: expressions, by precedence -----------------------

    // A long flat chain (`1 + 1 + ...`) builds a deep tree that later stages walk
    // recursively: cap the operators of one statement.
    static constexpr int kMaxOperators = 500;
    void count_operator(const Token& at);
    ExprPtr parse_expr();
    ExprPtr parse_or();
    ExprPtr parse_and();
    ExprPtr parse_not();
    ExprPtr parse_comparison();
    ExprPtr parse_sum();
    ExprPtr parse_product();
    ExprPtr parse_unary();
    ExprPtr parse_postfix();
    ExprPtr parse_atom();
    ExprPtr parse_list_display(const Token& open);
    ExprPtr parse_dict_display(const Token& open);

    // ---- model/parser/fstring.cpp -------------------------------------------------------

    ExprPtr parse_fstring(const Token& t);
    [[noreturn]] void fail_at(Loc loc, std::string message, std::string hint = "");

    const std::vector<Token>& toks_;
    bool python_ = false;
    size_t pos_ = 0;
    int depth_ = 0;
    int operators_ = 0;
    bool in_fstring_ = false;
    Diagnostics diags_;
};

}  // namespace critsec::parsing
