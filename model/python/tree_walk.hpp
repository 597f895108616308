#pragma once
// Walks over a syntax tree's expression slots so that the Python reader can
// rewrite them in place: every child before its parent, so that a rewrite sees
// its operands already read.
#include <optional>
#include <variant>

#include "model/ast.hpp"

namespace critsec::python {

template <class F>
void rewrite_expr(ast::ExprPtr& e, F& fn) {
    if (!e) return;
    std::visit(
        [&](auto& n) {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, ast::FString>) {
                for (auto& p : n.parts) rewrite_expr(p.expr, fn);
            } else if constexpr (std::is_same_v<T, ast::Attribute>) {
                rewrite_expr(n.object, fn);
            } else if constexpr (std::is_same_v<T, ast::Index>) {
                rewrite_expr(n.object, fn);
                rewrite_expr(n.index, fn);
            } else if constexpr (std::is_same_v<T, ast::Call>) {
                rewrite_expr(n.callee, fn);
                for (auto& a : n.args) rewrite_expr(a, fn);
                for (auto& k : n.keywords) rewrite_expr(k.value, fn);
            } else if constexpr (std::is_same_v<T, ast::Unary>) {
                rewrite_expr(n.operand, fn);
            } else if constexpr (std::is_same_v<T, ast::Binary>) {
                rewrite_expr(n.left, fn);
                rewrite_expr(n.right, fn);
            } else if constexpr (std::is_same_v<T, ast::ListLit>) {
                for (auto& x : n.elements) rewrite_expr(x, fn);
            } else if constexpr (std::is_same_v<T, ast::Conditional>) {
                rewrite_expr(n.then, fn);
                rewrite_expr(n.cond, fn);
                rewrite_expr(n.orelse, fn);
            } else if constexpr (std::is_same_v<T, ast::ListComp>) {
                rewrite_expr(n.element, fn);
                rewrite_expr(n.iterable, fn);
            }
        },
        e->node);
    fn(e);
}

template <class F>
void rewrite_block(ast::Block& block, F& fn) {
    for (auto& s : block) {
        std::visit(
            [&](auto& n) {
                using T = std::decay_t<decltype(n)>;
                if constexpr (std::is_same_v<T, ast::ExprStmt>) {
                    rewrite_expr(n.expr, fn);
                } else if constexpr (std::is_same_v<T, ast::Assign>) {
                    rewrite_expr(n.target, fn);
                    rewrite_expr(n.value, fn);
                } else if constexpr (std::is_same_v<T, ast::If>) {
                    for (auto& b : n.branches) {
                        rewrite_expr(b.cond, fn);
                        rewrite_block(b.body, fn);
                    }
                    rewrite_block(n.orelse, fn);
                } else if constexpr (std::is_same_v<T, ast::While>) {
                    rewrite_expr(n.cond, fn);
                    rewrite_block(n.body, fn);
                } else if constexpr (std::is_same_v<T, ast::For>) {
                    rewrite_expr(n.iterable, fn);
                    rewrite_block(n.body, fn);
                } else if constexpr (std::is_same_v<T, ast::With>) {
                    rewrite_expr(n.context, fn);
                    rewrite_block(n.body, fn);
                } else if constexpr (std::is_same_v<T, ast::Assert>) {
                    rewrite_expr(n.cond, fn);
                    rewrite_expr(n.message, fn);
                } else if constexpr (std::is_same_v<T, ast::Return>) {
                    rewrite_expr(n.value, fn);
                } else if constexpr (std::is_same_v<T, ast::Try>) {
                    rewrite_block(n.body, fn);
                    rewrite_block(n.finally_body, fn);
                }
            },
            s.node);
    }
}

// Turns the statements `drop` picks into `pass` (a block never ends up empty),
// in this block and in the blocks inside it.
template <class F>
void drop_statements(ast::Block& block, F& drop) {
    for (auto& s : block) {
        if (drop(s)) {
            s.node = ast::Pass{};
            continue;
        }
        std::visit(
            [&](auto& n) {
                using T = std::decay_t<decltype(n)>;
                if constexpr (std::is_same_v<T, ast::If>) {
                    for (auto& b : n.branches) drop_statements(b.body, drop);
                    drop_statements(n.orelse, drop);
                } else if constexpr (std::is_same_v<T, ast::While> || std::is_same_v<T, ast::For> || std::is_same_v<T, ast::With>) {
                    drop_statements(n.body, drop);
                } else if constexpr (std::is_same_v<T, ast::Try>) {
                    drop_statements(n.body, drop);
                    drop_statements(n.finally_body, drop);
                }
            },
            s.node);
    }
}

// Replaces each statement for which `expand` gives statements with those (expanded
// in turn), in this block and the blocks inside it; a block never ends up empty.
template <class F>
void expand_statements(ast::Block& block, F& expand) {
    ast::Block out;
    for (auto& s : block) {
        if (std::optional<ast::Block> replacement = expand(s)) {
            expand_statements(*replacement, expand);
            for (auto& r : *replacement) out.push_back(std::move(r));
            continue;
        }
        std::visit(
            [&](auto& n) {
                using T = std::decay_t<decltype(n)>;
                if constexpr (std::is_same_v<T, ast::If>) {
                    for (auto& b : n.branches) expand_statements(b.body, expand);
                    expand_statements(n.orelse, expand);
                } else if constexpr (std::is_same_v<T, ast::While> || std::is_same_v<T, ast::For> || std::is_same_v<T, ast::With>) {
                    expand_statements(n.body, expand);
                } else if constexpr (std::is_same_v<T, ast::Try>) {
                    expand_statements(n.body, expand);
                    expand_statements(n.finally_body, expand);
                }
            },
            s.node);
        out.push_back(std::move(s));
    }
    if (out.empty() && !block.empty()) out.push_back({ast::Pass{}, block.front().loc});
    block = std::move(out);
}

}  // namespace critsec::python
