#include "model/python/statements.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "model/python/tree_walk.hpp"

namespace critsec::python {
namespace {

using namespace ast;

void error(Diagnostics& diags, Loc loc, int length, std::string message, std::string hint) {
    diags.push_back({Severity::Error, loc, std::max(1, length), std::move(message), std::move(hint)});
}

const std::string* name_of(const ExprPtr& e) {
    const auto* n = e ? std::get_if<Name>(&e->node) : nullptr;
    return n ? &n->id : nullptr;
}

ExprPtr make_name(Loc loc, std::string id) {
    auto e = std::make_unique<Expr>();
    e->node = Name{std::move(id)};
    e->loc = loc;
    return e;
}

// A `break` or `continue` anywhere in `body`, or null.
const Stmt* loop_jump_in(Block& body) {
    const Stmt* found = nullptr;
    auto find = [&](Stmt& s) {
        if (!found && (std::holds_alternative<Break>(s.node) || std::holds_alternative<Continue>(s.node))) found = &s;
        return false;
    };
    drop_statements(body, find);
    return found;
}

// `a, b = x, y`: the values first (into temporaries when one reads a name being
// assigned, as in `a, b = b, a`), then each name.
std::optional<Block> unpack(Stmt& s, Assign& a, Diagnostics& diags) {
    auto& targets = std::get<ListLit>(a.target->node).elements;
    auto* values = std::get_if<ListLit>(&a.value->node);
    if (a.op != AssignOp::Set || !values || values->elements.size() != targets.size()) {
        error(diags, s.loc, a.target->length, "critsec reads `a, b = x, y` with one value written out per name",
              "assign each name on its own line");
        return Block{};
    }
    std::set<std::string> assigned;
    for (const auto& t : targets)
        if (const std::string* n = name_of(t)) assigned.insert(*n);
    bool reads_assigned = false;
    auto check = [&](ExprPtr& e) {
        if (const std::string* n = name_of(e); n && assigned.count(*n)) reads_assigned = true;
    };
    for (auto& v : values->elements) rewrite_expr(v, check);
    Block out;
    for (size_t i = 0; i < targets.size(); ++i) {
        ExprPtr value = std::move(values->elements[i]);
        if (reads_assigned) {
            std::string temp = fmt::format("_unpacked{}_{}", s.loc.line, i);
            out.push_back({Assign{make_name(s.loc, temp), AssignOp::Set, std::move(value)}, s.loc});
            value = make_name(s.loc, temp);
        }
        Loc at = targets[i]->loc;
        out.push_back({Assign{std::move(targets[i]), AssignOp::Set, std::move(value)}, at});
    }
    if (reads_assigned)  // the temporaries first, then the names
        std::stable_partition(out.begin(), out.end(), [](const Stmt& x) {
            const auto& as = std::get<Assign>(x.node);
            const std::string* n = name_of(as.target);
            return n && n->rfind("_unpacked", 0) == 0;
        });
    return out;
}

}  // namespace

std::optional<Block> python_statement(Stmt& s, Diagnostics& diags) {
    if (auto* t = std::get_if<Try>(&s.node)) {
        // A failure inside the body ends the process without the `finally` block
        // (docs/language.md, Python programs as written); a `break` would skip it too.
        if (const Stmt* jump = loop_jump_in(t->body)) {
            error(diags, jump->loc, std::holds_alternative<Break>(jump->node) ? 5 : 8,
                  "critsec reads `try:` as its two blocks one after the other: a `break` or `continue` in it would skip `finally:`",
                  "leave the loop after the `try:` statement, or release with `with`");
            return Block{};
        }
        Block b = std::move(t->body);
        for (auto& x : t->finally_body) b.push_back(std::move(x));
        return b;
    }
    if (auto* f = std::get_if<For>(&s.node))
        if (auto* l = std::get_if<ListLit>(&f->iterable->node)) l->tuple = false;
    auto* a = std::get_if<Assign>(&s.node);
    const auto* targets = a ? std::get_if<ListLit>(&a->target->node) : nullptr;
    if (!targets || !targets->tuple) return std::nullopt;
    return unpack(s, *a, diags);
}

}  // namespace critsec::python
