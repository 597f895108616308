// What a spec fixes statically: integer and string constants (range bounds, Array
// sizes, initial values), the iteration count of a constant `range`, and a
// constant that divides by zero.
#include <cstdint>
#include <functional>

#include "model/lower/lowerer.hpp"

namespace critsec::lowering {

std::optional<int64_t> Lowerer::const_int(const ast::Expr& e) const {
    if (const auto* i = std::get_if<ast::IntLit>(&e.node)) return i->value;
    if (const auto* u = std::get_if<ast::Unary>(&e.node)) {
        if (u->op != ast::UnOp::Neg) return std::nullopt;
        auto v = const_int(*u->operand);
        if (!v || *v == INT64_MIN) return std::nullopt;
        return -*v;
    }
    if (const auto* n = std::get_if<ast::Name>(&e.node)) {
        if (body_) {
            auto local = body_->locals.find(n->id);
            if (local != body_->locals.end()) return std::nullopt;
        }
        auto g = globals_.find(n->id);
        if (g != globals_.end() && g->second.kind == GlobalKind::Plain) return g->second.constant;
        return std::nullopt;
    }
    if (const auto* b = std::get_if<ast::Binary>(&e.node)) {
        auto l = const_int(*b->left), r = const_int(*b->right);
        if (!l || !r) return std::nullopt;
        __int128 x = *l, y = *r, v;
        switch (b->op) {
            case ast::BinOp::Add: v = x + y; break;
            case ast::BinOp::Sub: v = x - y; break;
            case ast::BinOp::Mul: v = x * y; break;
            case ast::BinOp::FloorDiv:
            case ast::BinOp::Mod: {
                if (y == 0) return std::nullopt;  // reported by report_zero_divisor()
                // Python floors, so a remainder takes the divisor's sign.
                __int128 q = x / y;
                if ((x % y != 0) && ((x < 0) != (y < 0))) --q;
                v = b->op == ast::BinOp::FloorDiv ? q : x - q * y;
                break;
            }
            default: return std::nullopt;
        }
        if (v > INT64_MAX || v < INT64_MIN) return std::nullopt;
        return static_cast<int64_t>(v);
    }
    if (const auto* c = std::get_if<ast::Call>(&e.node)) {
        const auto* callee = std::get_if<ast::Name>(&c->callee->node);
        if (callee && callee->id == "len" && c->args.size() == 1) {
            if (const auto* n = std::get_if<ast::Name>(&c->args[0]->node)) {
                if (body_) {
                    auto local = body_->locals.find(n->id);
                    if (local != body_->locals.end() && local->second.type.kind == TypeKind::List && local->second.type.length >= 0)
                        return local->second.type.length;
                }
                auto g = globals_.find(n->id);
                if (g != globals_.end() && g->second.kind == GlobalKind::Object &&
                    program_.objects[g->second.index].kind == model::ObjectKind::Array)
                    return program_.objects[g->second.index].cells();
            }
        }
    }
    return std::nullopt;
}

// A constant a spec needs statically (a range bound, an Array size, an initial
// value) that divides by zero: Python would raise ZeroDivisionError, so the
// spec cannot mean anything. Reports it and returns true.
bool Lowerer::report_zero_divisor(const ast::Expr& e) {
    const ast::Expr* culprit = nullptr;
    std::function<void(const ast::Expr&)> walk = [&](const ast::Expr& x) {
        if (culprit) return;
        if (const auto* b = std::get_if<ast::Binary>(&x.node)) {
            walk(*b->left);
            walk(*b->right);
            bool divides = b->op == ast::BinOp::FloorDiv || b->op == ast::BinOp::Mod;
            if (!culprit && divides && const_int(*b->left) && const_int(*b->right) == 0) culprit = b->right.get();
        } else if (const auto* u = std::get_if<ast::Unary>(&x.node)) {
            walk(*u->operand);
        } else if (const auto* c = std::get_if<ast::Call>(&x.node)) {
            for (const auto& a : c->args) walk(*a);
        } else if (const auto* l = std::get_if<ast::ListLit>(&x.node)) {
            for (const auto& a : l->elements) walk(*a);
        } else if (const auto* l = std::get_if<ast::ListComp>(&x.node)) {
            walk(*l->element);
            walk(*l->iterable);
        }
    };
    walk(e);
    if (!culprit) return false;
    error(*culprit, "integer division or modulo by zero in a constant",
          "Python raises ZeroDivisionError here; a constant must have a value");
    return true;
}

std::optional<std::string> Lowerer::const_str(const ast::Expr& e) const {
    if (const auto* s = std::get_if<ast::StrLit>(&e.node)) return s->value;
    return std::nullopt;
}

// The static iteration count of `range(...)`, if its arguments are constants.
std::optional<int64_t> Lowerer::range_count(const ast::Expr& iterable) const {
    const auto* call = std::get_if<ast::Call>(&iterable.node);
    if (!call) return std::nullopt;
    const auto* callee = std::get_if<ast::Name>(&call->callee->node);
    if (!callee || callee->id != "range" || call->args.empty() || call->args.size() > 3) return std::nullopt;
    std::vector<int64_t> a;
    for (const auto& arg : call->args) {
        auto v = const_int(*arg);
        if (!v) return std::nullopt;
        a.push_back(*v);
    }
    int64_t start = a.size() >= 2 ? a[0] : 0, stop = a.size() >= 2 ? a[1] : a[0], step = a.size() == 3 ? a[2] : 1;
    if (step == 0) return std::nullopt;
    if (step > 0) return stop > start ? (stop - start + step - 1) / step : 0;
    return start > stop ? (start - stop - step - 1) / -step : 0;
}

}  // namespace critsec::lowering
