#include "checker/explorer/input_taint.hpp"

#include <fmt/format.h>

#include <set>

namespace critsec::checker {
namespace {

using namespace model;

class Taint {
public:
    explicit Taint(const PreparedProgram& p) : p_(p), locals_(p.facts.size()) {
        for (size_t t = 0; t < p.facts.size(); ++t) locals_[t].assign(tmpl(static_cast<int>(t)).local_names.size(), 0);
        globals_.assign(p.facts.size(), std::vector<char>(p.program.globals.size(), 0));
        objects_.assign(p.program.objects.size(), 0);
    }

    InputDependence run() {
        // Propagate to a fixed point, then look at where tainted values are used.
        bool changed = true;
        while (changed) {
            changed_ = false;
            for (size_t t = 0; t < p_.facts.size(); ++t) propagate(static_cast<int>(t));
            // Fork: a child starts with main's globals; nothing flows back.
            for (size_t t = 1; t < p_.facts.size(); ++t)
                for (size_t g = 0; g < globals_[0].size(); ++g) set(globals_[t][g], globals_[0][g]);
            changed = changed_;
        }
        out_.assert_cond.assign(p_.program.asserts.size(), 0);
        for (size_t t = 0; t < p_.facts.size(); ++t) inspect(static_cast<int>(t));
        return out_;
    }

private:
    const ProcessTemplate& tmpl(int t) const { return t == 0 ? p_.program.main : p_.program.processes[t - 1]; }

    bool tainted(const ExprPtr& e, int t) const { return e && tainted(*e, t); }
    bool tainted(const Expr& e, int t) const {
        return std::visit(
            [&](const auto& n) -> bool {
                using T = std::decay_t<decltype(n)>;
                if constexpr (std::is_same_v<T, Var>) return n.global ? globals_[t].at(n.slot) : locals_[t].at(n.slot);
                else if constexpr (std::is_same_v<T, Unary>) return tainted(n.operand, t);
                else if constexpr (std::is_same_v<T, Binary>) return tainted(n.left, t) || tainted(n.right, t);
                else if constexpr (std::is_same_v<T, Call>) {
                    for (const auto& a : n.args)
                        if (tainted(a, t)) return true;
                    return false;
                } else if constexpr (std::is_same_v<T, FString>) {
                    for (const auto& a : n.parts)
                        if (tainted(a, t)) return true;
                    return false;
                } else if constexpr (std::is_same_v<T, ListOf>) {
                    for (const auto& a : n.elements)
                        if (tainted(a, t)) return true;
                    return false;
                } else if constexpr (std::is_same_v<T, Subscript>) return tainted(n.list, t) || tainted(n.index, t);
                else if constexpr (std::is_same_v<T, ParamOf>)
                    return locals_.at(n.process_template + 1).at(n.param) || tainted(n.process, t);
                else return false;
            },
            e.node);
    }

    // A tainted operand of an operation that can fail.
    bool fallible(const ExprPtr& e, int t) const { return e && fallible(*e, t); }
    bool fallible(const Expr& e, int t) const {
        return std::visit(
            [&](const auto& n) -> bool {
                using T = std::decay_t<decltype(n)>;
                if constexpr (std::is_same_v<T, Unary>) return fallible(n.operand, t);
                else if constexpr (std::is_same_v<T, Binary>) {
                    bool div = n.op == BinaryOp::Div || n.op == BinaryOp::FloorDiv || n.op == BinaryOp::Mod;
                    return (div && tainted(n.right, t)) || fallible(n.left, t) || fallible(n.right, t);
                } else if constexpr (std::is_same_v<T, Call>) {
                    for (const auto& a : n.args)
                        if (fallible(a, t) || (n.fn == Builtin::Int && tainted(a, t))) return true;
                    return false;
                } else if constexpr (std::is_same_v<T, FString>) {
                    for (const auto& a : n.parts)
                        if (fallible(a, t)) return true;
                    return false;
                } else if constexpr (std::is_same_v<T, ListOf>) {
                    for (const auto& a : n.elements)
                        if (fallible(a, t)) return true;
                    return false;
                } else if constexpr (std::is_same_v<T, Subscript>) return tainted(n.list, t) || tainted(n.index, t);
                else if constexpr (std::is_same_v<T, ParamOf>) return fallible(n.process, t);
                else return false;
            },
            e.node);
    }

    void set(char& flag, bool value) {
        if (value && !flag) {
            flag = 1;
            changed_ = true;
        }
    }
    void set_var(const Var& v, int t, bool value) { set(v.global ? globals_[t].at(v.slot) : locals_[t].at(v.slot), value); }
    void set_files(bool value) {
        for (size_t o = 0; o < objects_.size(); ++o)
            if (p_.program.objects[o].kind == ObjectKind::File) set(objects_[o], value);
    }
    bool any_file() const {
        for (size_t o = 0; o < objects_.size(); ++o)
            if (p_.program.objects[o].kind == ObjectKind::File && objects_[o]) return true;
        return false;
    }

    void propagate(int t) {
        const auto& code = tmpl(t).code;
        const auto& facts = p_.facts[t];
        for (size_t pc = 0; pc < code.size(); ++pc) {
            std::visit(
                [&](const auto& n) {
                    using T = std::decay_t<decltype(n)>;
                    if constexpr (std::is_same_v<T, Assign>) set_var(n.target, t, tainted(n.value, t));
                    else if constexpr (std::is_same_v<T, Draw>) {
                        if (!facts.sleep_only_draw[pc]) {
                            set_var(n.target, t, true);
                            out_.any_draws = true;
                        }
                    } else if constexpr (std::is_same_v<T, Create>) {
                        for (size_t i = 0; i < n.args.size(); ++i) set(locals_.at(n.process + 1).at(i), tainted(n.args[i], t));
                    } else if constexpr (std::is_same_v<T, Append>) set_var(n.list, t, tainted(n.value, t));
                    else if constexpr (std::is_same_v<T, Load>) set_var(n.target, t, objects_.at(n.object) || tainted(n.index, t));
                    else if constexpr (std::is_same_v<T, Store>) set(objects_.at(n.object), tainted(n.value, t) || tainted(n.index, t));
                    else if constexpr (std::is_same_v<T, FileRead> || std::is_same_v<T, FileReadline>) set_var(n.target, t, any_file());
                    else if constexpr (std::is_same_v<T, FileWrite>) set_files(tainted(n.data, t));
                },
                code[pc].node);
        }
    }

    void control(const std::string& why) {
        if (!out_.control && out_.why.empty()) out_.why = why;
        out_.control = true;
    }
    void failure(const std::string& why) {
        if (!out_.control && !out_.failures && out_.why.empty()) out_.why = why;
        out_.failures = true;
    }

    // What can run after pc: 0 no step, 1 only steps that cannot affect another process, 2 more.
    int tail(int t, int from) const {
        int worst = 0;
        const auto& code = tmpl(t).code;
        std::vector<char> seen(code.size() + 1, 0);
        std::vector<int> todo{from};
        while (!todo.empty()) {
            int pc = todo.back();
            todo.pop_back();
            if (pc < 0 || pc >= static_cast<int>(code.size()) || seen[pc]) continue;
            seen[pc] = 1;
            const auto& node = code[pc].node;
            bool harmless = !is_step(node) || std::holds_alternative<Load>(node) || std::holds_alternative<Print>(node) ||
                            std::holds_alternative<AssertStep>(node) || std::holds_alternative<Sleep>(node) ||
                            std::holds_alternative<Join>(node);
            if (!harmless) return 2;
            if (is_step(node)) worst = 1;
            if (const auto* b = std::get_if<Branch>(&node)) todo.push_back(b->if_false);
            if (const auto* j = std::get_if<Jump>(&node)) todo.push_back(j->target);
            else todo.push_back(pc + 1);
        }
        return worst;
    }

    void inspect(int t) {
        const auto& code = tmpl(t).code;
        const std::string& name = tmpl(t).name;
        for (size_t pc = 0; pc < code.size(); ++pc) {
            const Instr& instr = code[pc];
            std::string where = fmt::format("{} line {}", name, instr.loc.line);
            std::visit(
                [&](const auto& n) {
                    using T = std::decay_t<decltype(n)>;
                    if constexpr (std::is_same_v<T, Branch>) {
                        if (tainted(n.cond, t)) control(fmt::format("a branch at {} depends on inputs", where));
                        if (fallible(n.cond, t)) failure(fmt::format("an operation at {} may fail depending on inputs", where));
                    } else if constexpr (std::is_same_v<T, Load>) {
                        if (tainted(n.index, t)) control(fmt::format("an index at {} depends on inputs", where));
                    } else if constexpr (std::is_same_v<T, Store>) {
                        if (tainted(n.index, t)) control(fmt::format("an index at {} depends on inputs", where));
                        if (fallible(n.value, t)) failure(fmt::format("an operation at {} may fail depending on inputs", where));
                    } else if constexpr (std::is_same_v<T, FileSeek>) {
                        if (tainted(n.offset, t)) control(fmt::format("a seek at {} depends on inputs", where));
                    } else if constexpr (std::is_same_v<T, Sleep>) {
                        if (tainted(n.seconds, t)) failure(fmt::format("a sleep at {} may fail depending on inputs", where));
                    } else if constexpr (std::is_same_v<T, AssertStep>) {
                        bool cond = tainted(n.cond, t);
                        if (n.assert_id >= 0 && n.assert_id < static_cast<int>(out_.assert_cond.size()))
                            out_.assert_cond[n.assert_id] = cond;
                        int after = cond ? tail(t, static_cast<int>(pc) + 1) : 0;
                        if (after == 2) control(fmt::format("the assert at {} decides what follows it", where));
                        if (after == 1) failure(fmt::format("the assert at {} decides whether the steps after it run", where));
                    } else {
                        // Any other expression: assignments, prints, writes, arguments.
                        bool bad = false;
                        if constexpr (std::is_same_v<T, Assign>) bad = fallible(n.value, t);
                        else if constexpr (std::is_same_v<T, Print>) bad = fallible(n.text, t);
                        else if constexpr (std::is_same_v<T, FileWrite>) bad = fallible(n.data, t);
                        else if constexpr (std::is_same_v<T, Append>) bad = fallible(n.value, t);
                        else if constexpr (std::is_same_v<T, Create>) {
                            for (const auto& a : n.args) bad = bad || fallible(a, t);
                        }
                        if (bad) failure(fmt::format("an operation at {} may fail depending on inputs", where));
                    }
                },
                instr.node);
        }
    }

    const PreparedProgram& p_;
    std::vector<std::vector<char>> locals_;   // by template
    std::vector<std::vector<char>> globals_;  // by template: each process has its own copy
    std::vector<char> objects_;
    bool changed_ = false;
    InputDependence out_;
};

}  // namespace

InputDependence analyse_inputs(const PreparedProgram& prepared) { return Taint(prepared).run(); }

}  // namespace critsec::checker
