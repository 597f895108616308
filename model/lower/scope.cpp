// Names and slots: the builtins, the top-level names (process templates, which
// globals are ever written), locals and temporaries, unknown-name hints, and which
// loads each local's value comes from (for the lost-update pattern).
#include <fmt/format.h>

#include <functional>

#include "model/diagnostic.hpp"
#include "model/lower/lowerer.hpp"

namespace critsec::lowering {

namespace {

const BuiltinInfo kBuiltins[] = {
    {"randint", 2, 2}, {"range", 1, 3}, {"len", 1, 1},        {"int", 1, 1},       {"str", 1, 1},    {"abs", 1, 1},       {"min", 2, -1},
    {"max", 2, -1},    {"pid", 0, 0},   {"parent_pid", 0, 0}, {"cpu_count", 0, 0}, {"print", 0, -1}, {"sleep", 1, 1},     {"open", 1, 2},
    {"list", 1, 1},    {"bool", 1, 1},  {"Value", 2, 2},      {"Array", 2, 2},     {"Lock", 0, 0},   {"Semaphore", 0, 1}, {"File", 1, 2},
    {"RLock", 0, 0},   {"BoundedSemaphore", 0, 1},            {"process_name", 0, 0},
};

// Python spellings a tutorial reader may copy, and what to write instead.
std::string hint_for_unknown(const std::string& name) {
    if (name == "current_process") return "use `pid()` for the current process's id, `process_name()` for its name";
    if (name == "parent_process") return "use `parent_pid()` for the parent's id";
    if (name == "Process") return "declare a `process Name(params):` and create it with `Name(args)`";
    if (name == "self") return "inside `process`, parameters and globals are used by their plain names";
    if (name == "time" || name == "random") return "call `sleep(s)` and `randint(a, b)` directly";
    if (name == "mp" || name == "multiprocessing") return "write `Value(...)`, `Lock()` ... without the module prefix";
    return "";
}

std::set<std::string> global_declarations(const ast::Block& block) {
    std::set<std::string> out;
    std::function<void(const ast::Block&)> walk = [&](const ast::Block& b) {
        for (const auto& s : b) {
            if (const auto* g = std::get_if<ast::Global>(&s.node)) out.insert(g->names.begin(), g->names.end());
            if (const auto* i = std::get_if<ast::If>(&s.node)) {
                for (const auto& br : i->branches) walk(br.body);
                walk(i->orelse);
            }
            if (const auto* w = std::get_if<ast::While>(&s.node)) walk(w->body);
            if (const auto* f = std::get_if<ast::For>(&s.node)) walk(f->body);
            if (const auto* w = std::get_if<ast::With>(&s.node)) walk(w->body);
        }
    };
    walk(block);
    return out;
}

}  // namespace

const BuiltinInfo* find_builtin(const std::string& name) {
    for (const auto& b : kBuiltins)
        if (name == b.name) return &b;
    return nullptr;
}

std::vector<std::string> Lowerer::visible_names() const {
    std::vector<std::string> names;
    for (const auto& [n, _] : globals_) names.push_back(n);
    if (body_)
        for (const auto& [n, _] : body_->locals) names.push_back(n);
    for (const auto& b : kBuiltins) names.push_back(b.name);
    return names;
}

std::optional<LocalSym> Lowerer::find_local(const std::string& name) const {
    if (!body_) return std::nullopt;
    auto it = body_->locals.find(name);
    if (it == body_->locals.end()) return std::nullopt;
    return it->second;
}

Var Lowerer::declare_local(const std::string& name, const Type& type) {
    int slot = static_cast<int>(body_->code->local_names.size());
    body_->code->local_names.push_back(name);
    body_->locals[name] = {slot, type};
    return Var{slot, false};
}

Var Lowerer::new_temp(const std::string& hint) {
    int slot = static_cast<int>(body_->code->local_names.size());
    body_->code->local_names.push_back(fmt::format("${}{}", hint, body_->temps++));
    return Var{slot, false};
}

void Lowerer::unknown_name(const ast::Expr& e, const std::string& name) {
    std::string hint = hint_for_unknown(name);
    if (hint.empty()) {
        if (auto near = closest_name(name, visible_names()); !near.empty()) hint = fmt::format("did you mean `{}`?", near);
    }
    if (hint.empty() && body_ && body_->process >= 0 && main_locals_.count(name))
        hint = fmt::format("`{}` is a local of main: a process sees only globals and its parameters", name);
    if (hint.empty() && body_ && assigned_later(name)) hint = fmt::format("`{}` is assigned only further down", name);
    error(e, fmt::format("unknown name `{}`", name), hint);
}

bool Lowerer::assigned_later(const std::string& name) const { return later_assigned_.count(name) > 0; }

void Lowerer::declare_processes() {
    std::set<std::string> builtin_names;
    for (size_t i = 0; i < module_.processes.size(); ++i) {
        const auto& def = module_.processes[i];
        model::ProcessTemplate t;
        t.name = def.name;
        t.loc = def.loc;
        t.default_name = def.target_function ? "Process" : def.name;
        if (find_builtin(def.name)) {
            error(def.name_loc, static_cast<int>(def.name.size()), fmt::format("process name `{}` is a builtin", def.name),
                  "choose another name");
        } else if (globals_.count(def.name)) {
            error(def.name_loc, static_cast<int>(def.name.size()), fmt::format("duplicate process `{}`", def.name),
                  fmt::format("`{}` is already defined at line {}", def.name, globals_[def.name].loc.line));
        } else {
            globals_[def.name] = {
                GlobalKind::Template, static_cast<int>(i), Type::of(TypeKind::ProcessTemplate, static_cast<int>(i)), {}, def.name_loc};
        }
        std::set<std::string> seen;
        for (const auto& p : def.params) {
            if (!seen.insert(p.name).second) error(p.loc, static_cast<int>(p.name.size()), fmt::format("duplicate parameter `{}`", p.name));
            t.params.push_back(p.name);
            t.local_names.push_back(p.name);
        }
        program_.processes.push_back(std::move(t));
    }
    program_.instances_per_process.assign(module_.processes.size(), 0);
    program_.main.name = "main";
    if (module_.main) program_.main.loc = module_.main->loc;
}

// Which plain globals are ever assigned after their declaration: only the
// others are constants a `range()` or an `Array` size may use.
void Lowerer::collect_writes(const ast::Block& block, bool in_main, const std::set<std::string>& declared) {
    for (const auto& s : block) {
        std::visit(
            [&](const auto& n) {
                using T = std::decay_t<decltype(n)>;
                if constexpr (std::is_same_v<T, ast::Assign>) {
                    if (const auto* name = std::get_if<ast::Name>(&n.target->node))
                        if (in_main || declared.count(name->id)) written_globals_.insert(name->id);
                } else if constexpr (std::is_same_v<T, ast::If>) {
                    for (const auto& b : n.branches) collect_writes(b.body, in_main, declared);
                    collect_writes(n.orelse, in_main, declared);
                } else if constexpr (std::is_same_v<T, ast::While> || std::is_same_v<T, ast::With>) {
                    collect_writes(n.body, in_main, declared);
                } else if constexpr (std::is_same_v<T, ast::For>) {
                    written_globals_.insert(n.var);
                    collect_writes(n.body, in_main, declared);
                }
            },
            s.node);
    }
}

void Lowerer::prescan_global_writes() {
    for (const auto& p : module_.processes) collect_writes(p.body, false, global_declarations(p.body));
    if (module_.main) collect_writes(module_.main->body, true, {});
}

void Lowerer::collect_assigned_names(const ast::Block& block) {
    for (const auto& s : block) {
        if (const auto* a = std::get_if<ast::Assign>(&s.node))
            if (const auto* n = std::get_if<ast::Name>(&a->target->node)) later_assigned_.insert(n->id);
        if (const auto* f = std::get_if<ast::For>(&s.node)) {
            later_assigned_.insert(f->var);
            collect_assigned_names(f->body);
        }
        if (const auto* i = std::get_if<ast::If>(&s.node)) {
            for (const auto& b : i->branches) collect_assigned_names(b.body);
            collect_assigned_names(i->orelse);
        }
        if (const auto* w = std::get_if<ast::While>(&s.node)) collect_assigned_names(w->body);
        if (const auto* w = std::get_if<ast::With>(&s.node)) {
            if (w->as_name) later_assigned_.insert(*w->as_name);
            collect_assigned_names(w->body);
        }
    }
}

// The loads a pure expression reads, through the locals it mentions.
std::vector<int> Lowerer::loads_behind(const model::Expr& e) const {
    std::vector<int> out;
    std::function<void(const model::Expr&)> walk = [&](const model::Expr& x) {
        std::visit(
            [&](const auto& n) {
                using T = std::decay_t<decltype(n)>;
                if constexpr (std::is_same_v<T, Var>) {
                    if (!n.global) {
                        auto it = body_->taint.find(n.slot);
                        if (it != body_->taint.end()) out.insert(out.end(), it->second.begin(), it->second.end());
                    }
                } else if constexpr (std::is_same_v<T, model::Unary>) {
                    walk(*n.operand);
                } else if constexpr (std::is_same_v<T, model::Binary>) {
                    walk(*n.left);
                    walk(*n.right);
                } else if constexpr (std::is_same_v<T, model::Call>) {
                    for (const auto& a : n.args) walk(*a);
                } else if constexpr (std::is_same_v<T, model::FString>) {
                    for (const auto& a : n.parts) walk(*a);
                } else if constexpr (std::is_same_v<T, model::ListOf>) {
                    for (const auto& a : n.elements) walk(*a);
                } else if constexpr (std::is_same_v<T, model::Subscript>) {
                    walk(*n.list);
                    walk(*n.index);
                }
            },
            x.node);
    };
    walk(e);
    return out;
}

void Lowerer::set_taint(const Var& v, std::vector<int> loads) {
    if (v.global) return;
    if (loads.empty()) body_->taint.erase(v.slot);
    else body_->taint[v.slot] = std::move(loads);
}

}  // namespace critsec::lowering
