#include "model/python/inline_helpers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "model/python/tree_walk.hpp"

namespace critsec::python {
namespace {

using namespace ast;

const std::string* name_of(const ExprPtr& e) {
    const auto* n = e ? std::get_if<Name>(&e->node) : nullptr;
    return n ? &n->id : nullptr;
}

// Every name a body mentions (read, assigned, looped over, bound by `with ... as`).
std::set<std::string> names_in(Block& body) {
    std::set<std::string> out;
    auto fn = [&](ExprPtr& e) {
        if (const std::string* n = name_of(e)) out.insert(*n);
    };
    rewrite_block(body, fn);
    auto bound = [&](Stmt& s) {
        if (const auto* f = std::get_if<For>(&s.node)) out.insert(f->var);
        if (const auto* w = std::get_if<With>(&s.node); w && w->as_name) out.insert(*w->as_name);
        return false;
    };
    drop_statements(body, bound);
    return out;
}

// The names a body binds: assigned, looped over, bound by `with ... as`.
std::set<std::string> bound_in(Block& body) {
    std::set<std::string> out;
    auto bound = [&](Stmt& s) {
        if (const auto* a = std::get_if<Assign>(&s.node))
            if (const std::string* n = name_of(a->target)) out.insert(*n);
        if (const auto* f = std::get_if<For>(&s.node)) out.insert(f->var);
        if (const auto* w = std::get_if<With>(&s.node); w && w->as_name) out.insert(*w->as_name);
        return false;
    };
    drop_statements(body, bound);
    return out;
}

void rename_all(Block& body, const std::map<std::string, std::string>& to) {
    if (to.empty()) return;
    auto fn = [&](ExprPtr& e) {
        if (auto* n = std::get_if<Name>(&e->node))
            if (auto it = to.find(n->id); it != to.end()) n->id = it->second;
    };
    rewrite_block(body, fn);
    auto bound = [&](Stmt& s) {
        if (auto* f = std::get_if<For>(&s.node))
            if (auto it = to.find(f->var); it != to.end()) f->var = it->second;
        if (auto* w = std::get_if<With>(&s.node); w && w->as_name)
            if (auto it = to.find(*w->as_name); it != to.end()) w->as_name = it->second;
        return false;
    };
    drop_statements(body, bound);
}

class Inliner {
public:
    Inliner(Module& program, const std::set<std::string>& targets) {
        for (auto& f : program.functions)
            if (!targets.count(f.name)) helpers_[f.name] = &f;
    }

    void inline_into(Block& body) {
        if (helpers_.empty()) return;
        caller_names_ = names_in(body);
        auto expand = [&](Stmt& s) { return inline_statement(s); };
        expand_statements(body, expand);
    }

    Diagnostics take() { return std::move(diags_); }

private:
    void error(Loc loc, int length, std::string message, std::string hint) {
        diags_.push_back({Severity::Error, loc, std::max(1, length), std::move(message), std::move(hint)});
    }

    Call* helper_call(ExprPtr& e) {
        auto* c = e ? std::get_if<Call>(&e->node) : nullptr;
        const std::string* callee = c ? name_of(c->callee) : nullptr;
        return callee && helpers_.count(*callee) ? c : nullptr;
    }

    // `h(args)` or `x = h(args)`: the helper's body in its place.
    std::optional<Block> inline_statement(Stmt& s) {
        Call* call = nullptr;
        ExprPtr* result = nullptr;
        if (auto* x = std::get_if<ExprStmt>(&s.node)) call = helper_call(x->expr);
        if (auto* a = std::get_if<Assign>(&s.node); a && a->op == AssignOp::Set && (call = helper_call(a->value))) result = &a->target;
        if (!call) return std::nullopt;
        std::string name = *name_of(call->callee);
        if (active_.count(name)) {
            error(s.loc, 1, fmt::format("helper `{}` calls itself: critsec reads helpers that are not recursive", name),
                  "write the repetition as a `while` loop");
            return Block{};
        }
        const FunctionDef& f = *helpers_[name];
        std::vector<ExprPtr> args = arguments(*call, f, s.loc);
        if (args.size() != f.params.size()) return Block{};
        Block body = clone(f.body);
        Block out = bind_parameters(f, args, body);
        if (!take_return(f, body, result, s.loc)) return Block{};
        active_.insert(name);
        auto expand = [&](Stmt& inner) { return inline_statement(inner); };
        expand_statements(body, expand);
        active_.erase(name);
        for (auto& x : body) out.push_back(std::move(x));
        return out;
    }

    // The call's arguments in the order of the helper's parameters.
    std::vector<ExprPtr> arguments(Call& call, const FunctionDef& f, Loc loc) {
        std::vector<ExprPtr> args(f.params.size());
        bool ok = call.args.size() <= args.size();
        for (size_t i = 0; ok && i < call.args.size(); ++i) args[i] = std::move(call.args[i]);
        for (auto& k : call.keywords) {
            auto at = std::find_if(f.params.begin(), f.params.end(), [&](const Param& p) { return p.name == k.name; });
            ok = ok && at != f.params.end() && !args[at - f.params.begin()];
            if (ok) args[at - f.params.begin()] = std::move(k.value);
        }
        for (const auto& a : args) ok = ok && a;
        if (!ok) {
            error(loc, 1, fmt::format("`{}` takes {} argument(s): {}", f.name, f.params.size(), [&] {
                      std::string names;
                      for (const auto& p : f.params) names += (names.empty() ? "" : ", ") + p.name;
                      return names;
                  }()),
                  "give each parameter one value");
            return {};
        }
        return args;
    }

    // A parameter given a plain name (and never assigned) reads that name; the others
    // become locals set first. A local the caller uses too is renamed.
    Block bind_parameters(const FunctionDef& f, std::vector<ExprPtr>& args, Block& body) {
        std::set<std::string> assigned = bound_in(body);
        std::map<std::string, std::string> to;
        std::set<std::string> locals = assigned;
        for (const auto& p : f.params) locals.insert(p.name);
        for (const auto& x : locals)
            if (caller_names_.count(x)) to[x] = f.name + "_" + x;
        Block out;
        for (size_t i = 0; i < f.params.size(); ++i) {
            const std::string& p = f.params[i].name;
            if (const std::string* given = name_of(args[i]); given && !assigned.count(p)) {
                to[p] = *given;
                continue;
            }
            std::string local = to.count(p) ? to[p] : p;
            out.push_back({Assign{std::make_unique<Expr>(Expr{Name{local}, f.params[i].loc, 1}), AssignOp::Set, std::move(args[i])},
                           f.params[i].loc});
        }
        rename_all(body, to);
        return out;
    }

    // The helper's one `return`, at the end of its body, becomes the assignment of
    // the call's result; any other `return` is refused.
    bool take_return(const FunctionDef& f, Block& body, ExprPtr* result, Loc call_loc) {
        std::optional<Return> last;
        if (!body.empty())
            if (auto* r = std::get_if<Return>(&body.back().node)) {
                last = std::move(*r);
                body.pop_back();
            }
        bool early = false;
        auto find = [&](Stmt& s) {
            if (std::holds_alternative<Return>(s.node)) {
                if (!early)
                    error(s.loc, 6, fmt::format("an early `return` in helper `{}` is not read by critsec yet", f.name),
                          "end the function with its only `return`");
                early = true;
            }
            return false;
        };
        drop_statements(body, find);
        if (early) return false;
        if (result && (!last || !last->value)) {
            error(call_loc, 1, fmt::format("helper `{}` returns no value", f.name), "end it with `return value`");
            return false;
        }
        Loc at = body.empty() ? f.loc : body.back().loc;
        if (result) body.push_back({Assign{std::move(*result), AssignOp::Set, std::move(last->value)}, at});
        else if (last && last->value && std::holds_alternative<Call>(last->value->node))  // its value unused, its effects not
            body.push_back({ExprStmt{std::move(last->value)}, at});
        return true;
    }

    std::map<std::string, const FunctionDef*> helpers_;
    std::set<std::string> caller_names_;
    std::set<std::string> active_;  // helpers being inlined (a call to one is recursion)
    Diagnostics diags_;
};

}  // namespace

Diagnostics inline_helpers(Module& program, const std::set<std::string>& targets) {
    Inliner inliner(program, targets);
    if (program.main) inliner.inline_into(program.main->body);
    for (auto& f : program.functions)
        if (targets.count(f.name)) inliner.inline_into(f.body);
    for (auto& cls : program.classes)
        for (auto& m : cls.methods) inliner.inline_into(m.body);
    return inliner.take();
}

}  // namespace critsec::python
