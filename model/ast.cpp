#include "model/ast.hpp"

#include <fmt/format.h>

#include "model/value.hpp"

namespace critsec::ast {
namespace {

const char* op_text(BinOp op) {
    switch (op) {
        case BinOp::Add: return "+";
        case BinOp::Sub: return "-";
        case BinOp::Mul: return "*";
        case BinOp::Div: return "/";
        case BinOp::FloorDiv: return "//";
        case BinOp::Mod: return "%";
        case BinOp::Eq: return "==";
        case BinOp::Ne: return "!=";
        case BinOp::Lt: return "<";
        case BinOp::Le: return "<=";
        case BinOp::Gt: return ">";
        case BinOp::Ge: return ">=";
        case BinOp::And: return "and";
        case BinOp::Or: return "or";
    }
    return "?";
}

std::string quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            case '\0': out += "\\0"; break;
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            default: out += c;
        }
    }
    return out + "\"";
}

struct ExprPrinter {
    std::string operator()(const IntLit& n) const { return std::to_string(n.value); }
    std::string operator()(const FloatLit& n) const { return model::python_float_repr(n.value); }
    std::string operator()(const BoolLit& n) const { return n.value ? "True" : "False"; }
    std::string operator()(const StrLit& n) const { return quote(n.value); }
    std::string operator()(const FString& n) const {
        std::string out = "f\"";
        for (const auto& p : n.parts) {
            if (p.expr) out += "{" + dump(*p.expr) + "}";
            else {
                std::string q = quote(p.text);
                out += q.substr(1, q.size() - 2);
            }
        }
        return out + "\"";
    }
    std::string operator()(const Name& n) const { return n.id; }
    std::string operator()(const Attribute& n) const { return dump(*n.object) + "." + n.attr; }
    std::string operator()(const Index& n) const { return dump(*n.object) + "[" + dump(*n.index) + "]"; }
    std::string operator()(const Call& n) const {
        std::vector<std::string> args;
        for (const auto& a : n.args) args.push_back(dump(*a));
        for (const auto& k : n.keywords) args.push_back(k.name + "=" + dump(*k.value));
        return fmt::format("{}({})", dump(*n.callee), fmt::join(args, ", "));
    }
    std::string operator()(const Unary& n) const { return n.op == UnOp::Not ? "not " + dump(*n.operand) : "-" + dump(*n.operand); }
    std::string operator()(const Binary& n) const { return fmt::format("({} {} {})", dump(*n.left), op_text(n.op), dump(*n.right)); }
    std::string operator()(const ListLit& n) const {
        std::vector<std::string> items;
        for (const auto& e : n.elements) items.push_back(dump(*e));
        if (n.tuple) return fmt::format("({}{})", fmt::join(items, ", "), items.size() == 1 ? "," : "");
        return fmt::format("[{}]", fmt::join(items, ", "));
    }
    std::string operator()(const Conditional& n) const {
        return fmt::format("({} if {} else {})", dump(*n.then), dump(*n.cond), dump(*n.orelse));
    }
    std::string operator()(const ListComp& n) const { return fmt::format("[{} for {} in {}]", dump(*n.element), n.var, dump(*n.iterable)); }
};

void dump_block(const Block& block, int depth, std::string& out);

void dump_stmt(const Stmt& s, int depth, std::string& out) {
    std::string pad(depth * 4, ' ');
    auto line = [&](const std::string& text) { out += fmt::format("{}{}  # {}:{}\n", pad, text, s.loc.line, s.loc.col); };
    std::visit(
        [&](const auto& n) {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, ExprStmt>) {
                line(dump(*n.expr));
            } else if constexpr (std::is_same_v<T, Assign>) {
                const char* op = n.op == AssignOp::Set ? "=" : n.op == AssignOp::Add ? "+=" : n.op == AssignOp::Sub ? "-=" : "*=";
                line(fmt::format("{} {} {}", dump(*n.target), op, dump(*n.value)));
            } else if constexpr (std::is_same_v<T, If>) {
                for (size_t i = 0; i < n.branches.size(); ++i) {
                    line(fmt::format("{} {}:", i == 0 ? "if" : "elif", dump(*n.branches[i].cond)));
                    dump_block(n.branches[i].body, depth + 1, out);
                }
                if (!n.orelse.empty()) {
                    out += pad + "else:\n";
                    dump_block(n.orelse, depth + 1, out);
                }
            } else if constexpr (std::is_same_v<T, While>) {
                line(fmt::format("while {}:", dump(*n.cond)));
                dump_block(n.body, depth + 1, out);
            } else if constexpr (std::is_same_v<T, For>) {
                line(fmt::format("for {} in {}:", n.var, dump(*n.iterable)));
                dump_block(n.body, depth + 1, out);
            } else if constexpr (std::is_same_v<T, With>) {
                line(fmt::format("with {}{}:", dump(*n.context), n.as_name ? " as " + *n.as_name : ""));
                dump_block(n.body, depth + 1, out);
            } else if constexpr (std::is_same_v<T, ast::Assert>) {
                line(fmt::format("assert {}{}", dump(*n.cond), n.message ? ", " + dump(*n.message) : ""));
            } else if constexpr (std::is_same_v<T, Pass>) {
                line("pass");
            } else if constexpr (std::is_same_v<T, Break>) {
                line("break");
            } else if constexpr (std::is_same_v<T, Continue>) {
                line("continue");
            } else if constexpr (std::is_same_v<T, Global>) {
                line(fmt::format("global {}", fmt::join(n.names, ", ")));
            } else if constexpr (std::is_same_v<T, Return>) {
                line(n.value ? "return " + dump(*n.value) : "return");
            } else if constexpr (std::is_same_v<T, Try>) {
                line("try:");
                dump_block(n.body, depth + 1, out);
                out += pad + "finally:\n";
                dump_block(n.finally_body, depth + 1, out);
            }
        },
        s.node);
}

void dump_block(const Block& block, int depth, std::string& out) {
    for (const auto& s : block) dump_stmt(s, depth, out);
}

}  // namespace

std::string dump(const Expr& expr) { return std::visit(ExprPrinter{}, expr.node); }

namespace {

ExprPtr clone_or_null(const ExprPtr& e) { return e ? clone(*e) : nullptr; }

struct ExprCloner {
    template <class T>
    decltype(Expr::node) operator()(const T& n) const {
        if constexpr (std::is_same_v<T, IntLit> || std::is_same_v<T, FloatLit> || std::is_same_v<T, BoolLit> || std::is_same_v<T, StrLit> || std::is_same_v<T, Name>) {
            return n;
        } else if constexpr (std::is_same_v<T, FString>) {
            FString out;
            for (const auto& p : n.parts) out.parts.push_back({p.text, clone_or_null(p.expr)});
            return out;
        } else if constexpr (std::is_same_v<T, Attribute>) {
            return Attribute{clone(*n.object), n.attr, n.attr_loc};
        } else if constexpr (std::is_same_v<T, Index>) {
            return Index{clone(*n.object), clone(*n.index)};
        } else if constexpr (std::is_same_v<T, Call>) {
            Call out{clone(*n.callee), {}, {}};
            for (const auto& a : n.args) out.args.push_back(clone(*a));
            for (const auto& k : n.keywords) out.keywords.push_back({k.name, clone(*k.value), k.loc});
            return out;
        } else if constexpr (std::is_same_v<T, Unary>) {
            return Unary{n.op, clone(*n.operand)};
        } else if constexpr (std::is_same_v<T, Binary>) {
            return Binary{n.op, clone(*n.left), clone(*n.right)};
        } else if constexpr (std::is_same_v<T, ListLit>) {
            ListLit out;
            out.tuple = n.tuple;
            for (const auto& e : n.elements) out.elements.push_back(clone(*e));
            return out;
        } else if constexpr (std::is_same_v<T, ListComp>) {
            return ListComp{clone(*n.element), n.var, n.var_loc, clone(*n.iterable)};
        } else {
            static_assert(std::is_same_v<T, Conditional>);
            return Conditional{clone(*n.then), clone(*n.cond), clone(*n.orelse)};
        }
    }
};

struct StmtCloner {
    template <class T>
    decltype(Stmt::node) operator()(const T& n) const {
        if constexpr (std::is_same_v<T, Pass> || std::is_same_v<T, Break> || std::is_same_v<T, Continue> || std::is_same_v<T, Global>) {
            return n;
        } else if constexpr (std::is_same_v<T, ExprStmt>) {
            return ExprStmt{clone(*n.expr)};
        } else if constexpr (std::is_same_v<T, Assign>) {
            return Assign{clone(*n.target), n.op, clone(*n.value)};
        } else if constexpr (std::is_same_v<T, If>) {
            If out;
            for (const auto& b : n.branches) out.branches.push_back({clone(*b.cond), clone(b.body)});
            out.orelse = clone(n.orelse);
            return out;
        } else if constexpr (std::is_same_v<T, While>) {
            return While{clone(*n.cond), clone(n.body)};
        } else if constexpr (std::is_same_v<T, For>) {
            return For{n.var, n.var_loc, clone(*n.iterable), clone(n.body)};
        } else if constexpr (std::is_same_v<T, With>) {
            return With{clone(*n.context), n.as_name, n.as_loc, clone(n.body)};
        } else if constexpr (std::is_same_v<T, Assert>) {
            return Assert{clone(*n.cond), clone_or_null(n.message)};
        } else if constexpr (std::is_same_v<T, Return>) {
            return Return{clone_or_null(n.value)};
        } else {
            static_assert(std::is_same_v<T, Try>);
            return Try{clone(n.body), clone(n.finally_body)};
        }
    }
};

}  // namespace

ExprPtr clone(const Expr& expr) {
    auto out = std::make_unique<Expr>();
    out->node = std::visit(ExprCloner{}, expr.node);
    out->loc = expr.loc;
    out->length = expr.length;
    return out;
}

Block clone(const Block& block) {
    Block out;
    for (const auto& s : block) out.push_back({std::visit(StmtCloner{}, s.node), s.loc});
    return out;
}

std::string dump(const Module& module) {
    std::string out;
    for (const auto& g : module.globals) out += fmt::format("{} = {}  # {}:{}\n", g.name, dump(*g.value), g.loc.line, g.loc.col);
    for (const auto& p : module.processes) {
        std::vector<std::string> params;
        for (const auto& x : p.params) params.push_back(x.name);
        out += fmt::format("process {}({}):  # {}:{}\n", p.name, fmt::join(params, ", "), p.loc.line, p.loc.col);
        dump_block(p.body, 1, out);
    }
    if (module.main) {
        out += fmt::format("main:  # {}:{}\n", module.main->loc.line, module.main->loc.col);
        dump_block(module.main->body, 1, out);
    }
    return out;
}

}  // namespace critsec::ast
