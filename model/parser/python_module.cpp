// A Python program's top level: imports, `def`, `class`, globals (annotated or
// not), docstrings and `if __name__ == "__main__":`. Function and method bodies
// are parsed as a spec's blocks are; model/python/ reads the result into
// processes, globals and main.
#include <fmt/format.h>

#include "model/parser/recursive_descent.hpp"

namespace critsec::parsing {

void Parser::parse_python_top_item(Module& module) {
    operators_ = 0;
    const Token& t = peek();
    switch (t.kind) {
        case Tok::Newline: advance(); return;
        case Tok::KwImport:
        case Tok::KwFrom: parse_import(module); return;
        case Tok::KwDef: module.functions.push_back(parse_def()); return;
        case Tok::KwClass: module.classes.push_back(parse_class()); return;
        case Tok::KwIf:
            if (accept_main_guard(module)) return;
            break;
        case Tok::String:  // the module's docstring
            parse_expr();
            end_of_simple_statement();
            return;
        case Tok::Name:
            if (peek(1).kind == Tok::Comma) {  // `a, b = Lock(), Lock()`
                parse_top_tuple_assignment(module);
                return;
            }
            if (peek(1).kind == Tok::Assign || peek(1).kind == Tok::Colon) {
                TopAssign g;
                g.name = advance().text;
                g.name_loc = t.loc;
                g.loc = t.loc;
                if (accept(Tok::Colon)) {
                    skip_annotation();
                    if (!at(Tok::Assign)) {  // `x: int` declares nothing at run time
                        end_of_simple_statement();
                        return;
                    }
                }
                advance();
                g.value = parse_expr();
                end_of_simple_statement();
                module.globals.push_back(std::move(g));
                return;
            }
            break;
        case Tok::Indent: fail(t, "unexpected indent");
        default: break;
    }
    fail(t, fmt::format("critsec reads definitions, imports and globals at a Python program's top level, found {}", describe(t)),
         "put the program's main code under `if __name__ == \"__main__\":`");
}

// `a, b = x, y` at the top level: one global per name.
void Parser::parse_top_tuple_assignment(Module& module) {
    std::vector<const Token*> names;
    do names.push_back(&expect(Tok::Name, "in the names assigned"));
    while (accept(Tok::Comma) && !at(Tok::Assign));
    expect(Tok::Assign, "after the names assigned");
    std::vector<ExprPtr> values;
    do values.push_back(parse_expr());
    while (accept(Tok::Comma) && !at(Tok::Newline) && !at(Tok::End));
    if (values.size() != names.size())
        fail(*names.front(), fmt::format("{} names and {} values", names.size(), values.size()), "write one value per name");
    end_of_simple_statement();
    for (size_t i = 0; i < names.size(); ++i) module.globals.push_back({names[i]->text, names[i]->loc, std::move(values[i]), names[i]->loc});
}

// The rest of `a, b` after its first element: a tuple, as a Python assignment's
// sides are when written with commas.
ExprPtr Parser::parse_tuple_rest(ExprPtr first) {
    ListLit tuple;
    tuple.tuple = true;
    Loc loc = first->loc;
    tuple.elements.push_back(std::move(first));
    while (accept(Tok::Comma) && !at(Tok::Assign) && !at(Tok::Newline) && !at(Tok::End)) tuple.elements.push_back(parse_expr());
    int length = span(*tuple.elements.front(), previous());  // before the move below
    return make(loc, length, std::move(tuple));
}

// `try:` BLOCK `finally:` BLOCK; an `except` is refused (a failure ends the process).
Stmt Parser::parse_try() {
    Stmt s;
    s.loc = advance().loc;
    expect(Tok::Colon, "after `try`");
    Try node;
    node.body = parse_block();
    const Token& t = peek();
    if (t.kind == Tok::Name && t.text == "except")
        fail(t, "`except` is not read by critsec: a failure ends the process", "let the error end the process; use `try`/`finally` to release");
    if (t.kind != Tok::Name || t.text != "finally") fail(t, "expected `finally:` after the `try` block", "critsec reads `try`/`finally`");
    advance();
    expect(Tok::Colon, "after `finally`");
    node.finally_body = parse_block();
    s.node = std::move(node);
    return s;
}

std::string Parser::parse_dotted_name(const char* context) {
    std::string name = expect(Tok::Name, context).text;
    while (accept(Tok::Dot)) name += "." + expect(Tok::Name, "after `.` in a module name").text;
    return name;
}

// `import a.b as c, d` and `from a.b import x as y, z` (or the names in parentheses).
void Parser::parse_import(Module& module) {
    const Token& first = advance();
    if (first.kind == Tok::KwImport) {
        do {
            Loc loc = peek().loc;
            std::string dotted = parse_dotted_name("after `import`");
            std::string alias = dotted.substr(0, dotted.find('.'));  // `import os.path` binds `os`
            if (accept(Tok::KwAs)) alias = expect(Tok::Name, "after `as`").text;
            int length = previous().loc.line == loc.line ? previous().loc.col + previous().length - loc.col : 1;
            module.imports.push_back({dotted, "", alias, loc, length});
        } while (accept(Tok::Comma));
        end_of_simple_statement();
        return;
    }
    std::string from = parse_dotted_name("after `from`");
    expect(Tok::KwImport, "after the module name");
    if (at(Tok::Star))
        fail(peek(), "`from ... import *` hides which names the program uses", fmt::format("import them by name: `from {} import Process, Lock`", from));
    bool parenthesized = accept(Tok::LParen);
    do {
        if (parenthesized && at(Tok::RParen)) break;
        const Token& name = expect(Tok::Name, "after `import`");
        std::string alias = name.text;
        if (accept(Tok::KwAs)) alias = expect(Tok::Name, "after `as`").text;
        module.imports.push_back({from, name.text, alias, name.loc, name.length});
    } while (accept(Tok::Comma));
    if (parenthesized) expect(Tok::RParen, "to close the imported names");
    end_of_simple_statement();
}

// A type annotation is read and dropped: critsec infers the types it needs.
void Parser::skip_annotation() { parse_expr(); }

FunctionDef Parser::parse_def() {
    FunctionDef def;
    def.loc = advance().loc;
    const Token& name = expect(Tok::Name, "after `def`");
    def.name = name.text;
    def.name_loc = name.loc;
    expect(Tok::LParen, "after the function name");
    while (!at(Tok::RParen)) {
        if (at(Tok::Star)) fail(peek(), "`*args` and `**kwargs` parameters are not supported", "name each parameter");
        const Token& p = expect(Tok::Name, "as a parameter name");
        if (accept(Tok::Colon)) skip_annotation();
        if (at(Tok::Assign)) fail(peek(), "default parameter values are not supported", "pass every argument at the call");
        def.params.push_back({p.text, p.loc});
        if (!accept(Tok::Comma)) break;
    }
    expect(Tok::RParen, "after the parameters");
    if (at(Tok::Minus) && peek(1).kind == Tok::Gt) {  // `-> type`
        advance();
        advance();
        skip_annotation();
    }
    expect(Tok::Colon, "after the function header");
    def.body = parse_block();
    return def;
}

ClassDef Parser::parse_class() {
    ClassDef cls;
    cls.loc = advance().loc;
    const Token& name = expect(Tok::Name, "after `class`");
    cls.name = name.text;
    cls.name_loc = name.loc;
    if (accept(Tok::LParen)) {
        while (!at(Tok::RParen)) {
            cls.bases.push_back(parse_expr());
            if (!accept(Tok::Comma)) break;
        }
        expect(Tok::RParen, "after the base classes");
    }
    expect(Tok::Colon, "after the class header");
    expect(Tok::Newline, "after `class ...:`", "a class's methods go on the lines below, indented");
    expect(Tok::Indent, "in the class body", "indent the methods under the class");
    each_item_of_suite([&] {
        if (at(Tok::KwDef)) cls.methods.push_back(parse_def());
        else if (at(Tok::String) || at(Tok::KwPass)) parse_simple_statement();  // a docstring, `pass`
        else if (!accept(Tok::Newline))
            fail(peek(), fmt::format("critsec reads methods in a class body, found {}", describe(peek())),
                 "a Process subclass keeps its state in `self` fields set in `__init__`");
    });
    return cls;
}

}  // namespace critsec::parsing
