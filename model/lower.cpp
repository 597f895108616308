#include "model/lower.hpp"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <set>

#include "model/lifecycle.hpp"
#include "model/spec_limits.hpp"
#include "model/types.hpp"

namespace critsec {
namespace {

using model::ExprPtr;
using model::Var;

// Builtin functions a spec may call, with their arity (min, max; -1 is any).
struct BuiltinInfo {
    const char* name;
    int min_args;
    int max_args;
};
const BuiltinInfo kBuiltins[] = {
    {"randint", 2, 2}, {"range", 1, 3},  {"len", 1, 1},       {"int", 1, 1},        {"str", 1, 1},
    {"abs", 1, 1},     {"min", 2, -1},   {"max", 2, -1},      {"pid", 0, 0},        {"parent_pid", 0, 0},
    {"cpu_count", 0, 0}, {"print", 0, -1}, {"sleep", 1, 1},   {"open", 1, 2},       {"list", 1, 1},
    {"bool", 1, 1},    {"Value", 2, 2},  {"Array", 2, 2},     {"Lock", 0, 0},       {"Semaphore", 0, 1},
    {"File", 1, 2},
};
const BuiltinInfo* find_builtin(const std::string& name) {
    for (const auto& b : kBuiltins)
        if (name == b.name) return &b;
    return nullptr;
}

// Python spellings a tutorial reader may copy, and what to write instead.
std::string hint_for_unknown(const std::string& name) {
    if (name == "current_process") return "use `pid()` for the current process's id";
    if (name == "parent_process") return "use `parent_pid()` for the parent's id";
    if (name == "Process") return "declare a `process Name(params):` and create it with `Name(args)`";
    if (name == "RLock") return "critsec has `Lock()`; a Value's `get_lock()` is recursive";
    if (name == "self") return "inside `process`, parameters and globals are used by their plain names";
    if (name == "time" || name == "random") return "call `sleep(s)` and `randint(a, b)` directly";
    if (name == "mp" || name == "multiprocessing") return "write `Value(...)`, `Lock()` ... without the module prefix";
    return "";
}

class Lowerer {
public:
    Lowerer(const ast::Module& module, const std::string& path) : module_(module) { program_.spec_path = path; }

    LowerResult run() {
        declare_processes();
        prescan_global_writes();
        declare_globals();
        // Main first: its calls give the process parameters their types.
        lower_main();
        for (size_t i = 0; i < module_.processes.size(); ++i) lower_process(static_cast<int>(i));
        check_instance_caps();
        return {std::move(program_), std::move(diags_)};
    }

private:
    // ---- symbols ---------------------------------------------------------------------

    enum class GlobalKind { Object, Plain, Template };
    struct GlobalSym {
        GlobalKind kind;
        int index;
        Type type;
        std::optional<int64_t> constant;  // a plain int global never reassigned
        Loc loc;
    };
    struct LocalSym {
        int slot;
        Type type;
    };
    struct Body {
        model::ProcessTemplate* code = nullptr;
        int process = -1;  // -1 for main
        std::map<std::string, LocalSym> locals;
        std::set<std::string> declared_global;
        int dynamic_depth = 0;    // inside `while` or `if`: process creation is not static
        int64_t multiplier = 1;   // iterations of enclosing static loops
        bool multiplier_known = true;
        int temps = 0;
        // Loads whose value each local holds, for the lost-update pattern.
        std::map<int, std::vector<int>> taint;
    };

    void error(Loc loc, int length, std::string message, std::string hint = "") {
        diags_.push_back({Severity::Error, loc, std::max(1, length), std::move(message), std::move(hint)});
    }
    void error(const ast::Expr& e, std::string message, std::string hint = "") {
        error(e.loc, e.length, std::move(message), std::move(hint));
    }

    std::string tname(const Type& t) const {
        if ((t.kind == TypeKind::Process || t.kind == TypeKind::ProcessTemplate) && t.index >= 0)
            return type_name(t, program_.processes[t.index].name);
        if (t.kind == TypeKind::List && t.element == TypeKind::Process && t.element_index >= 0)
            return type_name(t, program_.processes[t.element_index].name);
        return type_name(t);
    }

    std::vector<std::string> visible_names() const {
        std::vector<std::string> names;
        for (const auto& [n, _] : globals_) names.push_back(n);
        if (body_)
            for (const auto& [n, _] : body_->locals) names.push_back(n);
        for (const auto& b : kBuiltins) names.push_back(b.name);
        return names;
    }

    // ---- declarations ----------------------------------------------------------------

    void declare_processes() {
        std::set<std::string> builtin_names;
        for (size_t i = 0; i < module_.processes.size(); ++i) {
            const auto& def = module_.processes[i];
            model::ProcessTemplate t;
            t.name = def.name;
            t.loc = def.loc;
            if (find_builtin(def.name)) {
                error(def.name_loc, static_cast<int>(def.name.size()), fmt::format("process name `{}` is a builtin", def.name), "choose another name");
            } else if (globals_.count(def.name)) {
                error(def.name_loc, static_cast<int>(def.name.size()), fmt::format("duplicate process `{}`", def.name),
                      fmt::format("`{}` is already defined at line {}", def.name, globals_[def.name].loc.line));
            } else {
                globals_[def.name] = {GlobalKind::Template, static_cast<int>(i), Type::of(TypeKind::ProcessTemplate, static_cast<int>(i)), {}, def.name_loc};
            }
            std::set<std::string> seen;
            for (const auto& p : def.params) {
                if (!seen.insert(p.name).second)
                    error(p.loc, static_cast<int>(p.name.size()), fmt::format("duplicate parameter `{}`", p.name));
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
    void collect_writes(const ast::Block& block, bool in_main, const std::set<std::string>& declared) {
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

    static std::set<std::string> global_declarations(const ast::Block& block) {
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

    void prescan_global_writes() {
        for (const auto& p : module_.processes) collect_writes(p.body, false, global_declarations(p.body));
        if (module_.main) collect_writes(module_.main->body, true, {});
    }

    void declare_globals() {
        // Globals are initialised by main before anything else, in order: fork copies them.
        body_ = &main_body_;
        main_body_.code = &program_.main;
        for (const auto& g : module_.globals) {
            if (globals_.count(g.name)) {
                const auto& prev = globals_[g.name];
                error(g.name_loc, static_cast<int>(g.name.size()), fmt::format("`{}` is already defined", g.name),
                      fmt::format("the first definition is at line {}", prev.loc.line));
                continue;
            }
            if (find_builtin(g.name)) {
                error(g.name_loc, static_cast<int>(g.name.size()), fmt::format("`{}` is a builtin and cannot be redefined", g.name));
                continue;
            }
            if (const auto* call = std::get_if<ast::Call>(&g.value->node)) {
                if (const auto* callee = std::get_if<ast::Name>(&call->callee->node)) {
                    const std::string& f = callee->id;
                    if (f == "Value" || f == "Array" || f == "Lock" || f == "Semaphore" || f == "File" || f == "RLock") {
                        declare_object(g, f, *call);
                        continue;
                    }
                }
            }
            auto [expr, type] = lower_expr(*g.value);
            if (type.is_error()) {
                globals_[g.name] = {GlobalKind::Plain, -1, type, {}, g.name_loc};
                continue;
            }
            if (type.kind != TypeKind::Int && type.kind != TypeKind::Bool && type.kind != TypeKind::Str &&
                type.kind != TypeKind::Float && type.kind != TypeKind::Pid) {
                error(*g.value, fmt::format("a plain global must be an int, bool, str or pid, not {}", tname(type)),
                      "shared objects are made with Value, Array, Lock, Semaphore or File");
                continue;
            }
            int slot = static_cast<int>(program_.globals.size());
            program_.globals.push_back({g.name, g.name_loc});
            GlobalSym sym{GlobalKind::Plain, slot, type, {}, g.name_loc};
            if (!written_globals_.count(g.name)) sym.constant = const_int(*g.value);
            globals_[g.name] = sym;
            emit(model::Assign{Var{slot, true}, expr}, g.loc);
        }
        body_ = nullptr;
    }

    // ---- constants -------------------------------------------------------------------

    std::optional<int64_t> const_int(const ast::Expr& e) const {
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
    bool report_zero_divisor(const ast::Expr& e) {
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

    std::optional<std::string> const_str(const ast::Expr& e) const {
        if (const auto* s = std::get_if<ast::StrLit>(&e.node)) return s->value;
        return std::nullopt;
    }

    // ---- shared objects --------------------------------------------------------------

    bool check_arity(const ast::Expr& call_expr, const ast::Call& call, const std::string& name, int min, int max) {
        int n = static_cast<int>(call.args.size());
        if (!call.keywords.empty()) {
            const auto& kw = call.keywords.front();
            error(kw.loc, static_cast<int>(kw.name.size()), fmt::format("`{}` takes no keyword arguments", name),
                  "pass the arguments by position");
            return false;
        }
        if (n < min || (max >= 0 && n > max)) {
            std::string expected = min == max ? std::to_string(min) : max < 0 ? fmt::format("at least {}", min) : fmt::format("{} to {}", min, max);
            error(call_expr, fmt::format("`{}` takes {} argument{}, {} given", name, expected, (min == max && min == 1) ? "" : "s", n));
            return false;
        }
        return true;
    }

    int add_object(model::SharedObject obj, const std::string& name, Loc loc) {
        int index = static_cast<int>(program_.objects.size());
        program_.objects.push_back(std::move(obj));
        if (!name.empty()) {
            TypeKind kind = TypeKind::Error;
            switch (program_.objects[index].kind) {
                case model::ObjectKind::Value: kind = TypeKind::SharedValue; break;
                case model::ObjectKind::Array: kind = TypeKind::SharedArray; break;
                case model::ObjectKind::Lock: kind = TypeKind::Lock; break;
                case model::ObjectKind::Semaphore: kind = TypeKind::Semaphore; break;
                case model::ObjectKind::File: kind = TypeKind::FileObject; break;
            }
            globals_[name] = {GlobalKind::Object, index, Type::of(kind, index), {}, loc};
        }
        return index;
    }

    std::optional<model::Typecode> typecode_arg(const ast::Expr& e) {
        auto s = const_str(e);
        if (!s) {
            error(e, "the typecode must be a string literal such as \"i\"", fmt::format("typecodes: {}", model::known_typecodes()));
            return std::nullopt;
        }
        if (s->size() == 1)
            if (auto tc = model::find_typecode((*s)[0])) return tc;
        std::string hint = fmt::format("the integer typecodes are {}", model::known_typecodes());
        if (*s == "d" || *s == "f") hint = "critsec models integers only: use \"i\" (int) or \"q\" (long long)";
        if (*s == "L" || *s == "Q") hint = "64-bit unsigned typecodes are not supported: use \"q\"";
        error(e, fmt::format("unknown typecode \"{}\"", *s), hint);
        return std::nullopt;
    }

    bool check_fits(const ast::Expr& e, int64_t v, const model::Typecode& tc) {
        if (v >= tc.min() && v <= tc.max()) return true;
        error(e, fmt::format("initial value {} does not fit typecode '{}' ({}: {} to {})", v, tc.code, tc.c_type, tc.min(), tc.max()),
              "choose a wider typecode, such as \"q\"");
        return false;
    }

    void declare_object(const ast::TopAssign& g, const std::string& kind, const ast::Call& call) {
        const ast::Expr& at = *g.value;
        model::SharedObject obj;
        obj.name = g.name;
        obj.loc = g.name_loc;
        if (kind == "RLock") {
            error(*call.callee, "`RLock` is not supported", "use `Lock()`; a Value's `get_lock()` is recursive");
            globals_[g.name] = {GlobalKind::Object, -1, Type::of(TypeKind::Error), {}, g.name_loc};
            return;
        }
        const BuiltinInfo* info = find_builtin(kind);
        bool ok = check_arity(at, call, kind, info->min_args, info->max_args);
        auto poison = [&] { globals_[g.name] = {GlobalKind::Object, -1, Type::of(TypeKind::Error), {}, g.name_loc}; };
        if (!ok) return poison();
        if (kind == "Value") {
            obj.kind = model::ObjectKind::Value;
            auto tc = typecode_arg(*call.args[0]);
            auto init = const_int(*call.args[1]);
            if (!init && !report_zero_divisor(*call.args[1])) error(*call.args[1], "the initial value of a Value must be an integer constant");
            if (!tc || !init) return poison();
            obj.typecode = *tc;
            if (!check_fits(*call.args[1], *init, *tc)) return poison();
            obj.initial = {*init};
        } else if (kind == "Array") {
            obj.kind = model::ObjectKind::Array;
            auto tc = typecode_arg(*call.args[0]);
            if (!tc) return poison();
            obj.typecode = *tc;
            const ast::Expr& spec = *call.args[1];
            if (report_zero_divisor(spec)) return poison();
            if (auto n = const_int(spec)) {
                if (*n < 1 || *n > 1024) {
                    error(spec, fmt::format("an Array has 1 to 1024 cells, not {}", *n));
                    return poison();
                }
                obj.initial.assign(*n, 0);
            } else if (const auto* list = std::get_if<ast::ListLit>(&spec.node)) {
                if (list->elements.empty() || list->elements.size() > 1024) {
                    error(spec, "an Array has 1 to 1024 cells");
                    return poison();
                }
                for (const auto& e : list->elements) {
                    auto v = const_int(*e);
                    if (!v) {
                        error(*e, "Array elements must be integer constants");
                        return poison();
                    }
                    if (!check_fits(*e, *v, *tc)) return poison();
                    obj.initial.push_back(*v);
                }
            } else if (const auto* comp = std::get_if<ast::ListComp>(&spec.node)) {
                auto v = const_int(*comp->element);
                auto count = range_count(*comp->iterable);
                if (!v || !count) {
                    error(spec, "an Array's initial list must be constant, as in `[0 for _ in range(5)]`");
                    return poison();
                }
                if (*count < 1 || *count > 1024) {
                    error(spec, fmt::format("an Array has 1 to 1024 cells, not {}", *count));
                    return poison();
                }
                if (!check_fits(*comp->element, *v, *tc)) return poison();
                obj.initial.assign(*count, *v);
            } else {
                error(spec, "an Array takes a size or a list of integer constants", "as in `Array(\"i\", 5)` or `Array(\"i\", [0, 0, 0])`");
                return poison();
            }
        } else if (kind == "Lock") {
            obj.kind = model::ObjectKind::Lock;
        } else if (kind == "Semaphore") {
            obj.kind = model::ObjectKind::Semaphore;
            obj.semaphore_initial = 1;
            if (!call.args.empty()) {
                auto n = const_int(*call.args[0]);
                if (!n) {
                    if (report_zero_divisor(*call.args[0])) return poison();
                    error(*call.args[0], "the initial value of a Semaphore must be an integer constant");
                    return poison();
                }
                if (*n < 0 || *n > 1000) {
                    error(*call.args[0], fmt::format("a Semaphore's initial value must be between 0 and 1000, not {}", *n));
                    return poison();
                }
                obj.semaphore_initial = *n;
            }
        } else if (kind == "File") {
            obj.kind = model::ObjectKind::File;
            auto name = const_str(*call.args[0]);
            if (!name) {
                error(*call.args[0], "a file name must be a string literal");
                return poison();
            }
            if (!check_file_name(*call.args[0], *name)) return poison();
            if (find_file(*name) >= 0) {
                error(*call.args[0], fmt::format("file \"{}\" is already declared", *name));
                return poison();
            }
            obj.file_name = *name;
            if (call.args.size() == 2) {
                auto content = const_str(*call.args[1]);
                if (!content) {
                    error(*call.args[1], "a file's initial content must be a string literal");
                    return poison();
                }
                obj.file_initial = *content;
                obj.file_exists = true;
            }
        }
        add_object(std::move(obj), g.name, g.name_loc);
    }

    bool check_file_name(const ast::Expr& at, const std::string& name) {
        const std::string hint = "every run has a private folder: use a plain name such as \"shared_total.txt\"";
        if (name.empty()) {
            error(at, "empty file name");
            return false;
        }
        if (name[0] == '/') {
            error(at, fmt::format("file name \"{}\" is absolute: it would leave the run's private folder", name), hint);
            return false;
        }
        if (name == "." || name == ".." || name.find('/') != std::string::npos) {
            bool up = name == ".." || name.rfind("../", 0) == 0 || name.find("/..") != std::string::npos;
            bool folder = name == "." || name.back() == '/';
            error(at, fmt::format("file name \"{}\" {}", name, up ? "leaves the run's private folder" : folder ? "names a folder" : "is in a subfolder"), hint);
            return false;
        }
        if (name.size() > 100) {
            error(at, "file name longer than 100 characters");
            return false;
        }
        for (char c : name) {
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) {
                error(at, fmt::format("file name \"{}\" has a character other than letters, digits, `.`, `_` and `-`", name), hint);
                return false;
            }
        }
        return true;
    }

    int find_file(const std::string& name) const {
        for (size_t i = 0; i < program_.objects.size(); ++i)
            if (program_.objects[i].kind == model::ObjectKind::File && program_.objects[i].file_name == name) return static_cast<int>(i);
        return -1;
    }

    int value_lock(int value_object) {
        auto it = value_locks_.find(value_object);
        if (it != value_locks_.end()) return it->second;
        model::SharedObject lock;
        lock.name = program_.objects[value_object].name + ".get_lock()";
        lock.kind = model::ObjectKind::Lock;
        lock.recursive = true;
        lock.loc = program_.objects[value_object].loc;
        int index = add_object(std::move(lock), "", {});
        value_locks_[value_object] = index;
        return index;
    }

    // ---- emission --------------------------------------------------------------------

    int pc() const { return static_cast<int>(body_->code->code.size()); }

    int emit(model::InstrNode node, Loc loc) {
        body_->code->code.push_back({std::move(node), loc, 0});
        return pc() - 1;
    }

    Var new_temp(const std::string& hint = "t") {
        int slot = static_cast<int>(body_->code->local_names.size());
        body_->code->local_names.push_back(fmt::format("${}{}", hint, body_->temps++));
        return Var{slot, false};
    }

    static ExprPtr mk(model::Expr e) { return std::make_shared<const model::Expr>(std::move(e)); }
    static ExprPtr mk_var(Var v, Loc loc) { return mk({v, loc}); }
    static ExprPtr mk_const(model::Value v, Loc loc) { return mk({model::Const{std::move(v)}, loc}); }

    struct Lowered {
        ExprPtr expr;
        Type type;
    };
    // Every poisoned value counts: a statement that is poisoned while no error has been
    // reported would otherwise vanish from the model silently (see lower_stmt).
    Lowered poisoned() const {
        ++poisoned_;
        return {mk_const(int64_t{0}, {}), Type::of(TypeKind::Error)};
    }

    // The loads a pure expression reads, through the locals it mentions.
    std::vector<int> loads_behind(const model::Expr& e) const {
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

    void set_taint(const Var& v, std::vector<int> loads) {
        if (v.global) return;
        if (loads.empty()) body_->taint.erase(v.slot);
        else body_->taint[v.slot] = std::move(loads);
    }

    // ---- expressions -----------------------------------------------------------------

    Lowered lower_expr(const ast::Expr& e) {
        return std::visit([&](const auto& n) { return lower_node(e, n); }, e.node);
    }

    Lowered lower_node(const ast::Expr& e, const ast::IntLit& n) { return {mk_const(int64_t{n.value}, e.loc), Type::of(TypeKind::Int)}; }
    Lowered lower_node(const ast::Expr& e, const ast::BoolLit& n) { return {mk_const(n.value, e.loc), Type::of(TypeKind::Bool)}; }
    Lowered lower_node(const ast::Expr& e, const ast::StrLit& n) { return {mk_const(n.value, e.loc), Type::of(TypeKind::Str)}; }

    Lowered lower_node(const ast::Expr& e, const ast::FString& n) {
        model::FString out;
        bool bad = false;
        for (const auto& part : n.parts) {
            if (!part.expr) {
                out.parts.push_back(mk_const(part.text, e.loc));
                continue;
            }
            Lowered inner = lower_expr(*part.expr);
            if (inner.type.is_error()) bad = true;
            else if (!printable(inner.type)) {
                error(*part.expr, fmt::format("cannot format {} in an f-string", tname(inner.type)), printable_hint(*part.expr, inner.type));
                bad = true;
            }
            out.parts.push_back(inner.expr);
        }
        if (bad) return poisoned();
        return {mk({std::move(out), e.loc}), Type::of(TypeKind::Str)};
    }

    static bool printable(const Type& t) {
        switch (t.kind) {
            case TypeKind::Int: case TypeKind::Float: case TypeKind::Bool: case TypeKind::Str: case TypeKind::Pid:
                return true;
            case TypeKind::List:  // a list of nothing is `[]`, always empty
                return t.element == TypeKind::Int || t.element == TypeKind::Str || t.element == TypeKind::Bool || t.element == TypeKind::Error;
            default: return false;
        }
    }
    std::string printable_hint(const ast::Expr& e, const Type& t) const {
        if (t.kind == TypeKind::SharedValue) return "print its value: `total.value`";
        if (t.kind == TypeKind::SharedArray) return "print its cells: `list(arr)`";
        if (t.kind == TypeKind::Process) {
            const auto& params = program_.processes[t.index].params;
            if (params.empty()) return "it has no parameters to print; print `pid()` inside the process";
            return fmt::format("print a parameter, such as `{}.{}`", expr_text(e), params.front());
        }
        return "";
    }

    std::optional<LocalSym> find_local(const std::string& name) const {
        if (!body_) return std::nullopt;
        auto it = body_->locals.find(name);
        if (it == body_->locals.end()) return std::nullopt;
        return it->second;
    }

    void unknown_name(const ast::Expr& e, const std::string& name) {
        std::string hint = hint_for_unknown(name);
        if (hint.empty()) {
            if (auto near = closest_name(name, visible_names()); !near.empty()) hint = fmt::format("did you mean `{}`?", near);
        }
        if (hint.empty() && body_ && body_->process >= 0 && main_locals_.count(name))
            hint = fmt::format("`{}` is a local of main: a process sees only globals and its parameters", name);
        if (hint.empty() && body_ && assigned_later(name)) hint = fmt::format("`{}` is assigned only further down", name);
        error(e, fmt::format("unknown name `{}`", name), hint);
    }

    bool assigned_later(const std::string& name) const {
        return later_assigned_.count(name) > 0;
    }

    Lowered lower_node(const ast::Expr& e, const ast::Name& n) {
        if (auto local = find_local(n.id)) return {mk_var(Var{local->slot, false}, e.loc), local->type};
        auto g = globals_.find(n.id);
        if (g == globals_.end()) {
            if (find_builtin(n.id)) {
                error(e, fmt::format("`{}` is a function: call it", n.id), fmt::format("`{}(...)`", n.id));
                return poisoned();
            }
            unknown_name(e, n.id);
            return poisoned();
        }
        const GlobalSym& sym = g->second;
        if (sym.type.is_error()) return poisoned();
        if (sym.kind == GlobalKind::Plain) return {mk_var(Var{sym.index, true}, e.loc), sym.type};
        // Shared objects and process templates are not values: their uses go through
        // lower_object_use(), which sees the attribute or call around them.
        return {mk_const(int64_t{0}, e.loc), sym.type};
    }

    // Reports a shared object or template used where a value is expected.
    bool reject_non_value(const ast::Expr& e, const Type& t) {
        switch (t.kind) {
            case TypeKind::SharedValue:
                error(e, "a Value is not a number: read it with `.value`", fmt::format("write `{}.value`", expr_text(e)));
                return true;
            case TypeKind::SharedArray:
                error(e, "an Array is used by its cells", "index it: `arr[i]`, or copy it with `list(arr)`");
                return true;
            case TypeKind::Lock: case TypeKind::Semaphore: case TypeKind::ValueLock:
                error(e, fmt::format("a {} is not a value", tname(t)), "use it in `with` or call `.acquire()` / `.release()`");
                return true;
            case TypeKind::FileObject:
                error(e, "a File is not a value", "open it: `open(f, \"r\")`");
                return true;
            case TypeKind::ProcessTemplate:
                error(e, fmt::format("process `{}` must be called to make a process", tname(t)), "as in `Adder(1, 2)`");
                return true;
            case TypeKind::Nothing:
                error(e, "this call gives no value");
                return true;
            default: return false;
        }
    }

    std::string expr_text(const ast::Expr& e) const { return ast::dump(e); }

    Lowered value_expr(const ast::Expr& e) {
        Lowered l = lower_expr(e);
        if (l.type.is_error()) return l;
        if (reject_non_value(e, l.type)) return poisoned();
        return l;
    }

    Lowered lower_node(const ast::Expr& e, const ast::Attribute& n) {
        Lowered object = lower_expr(*n.object);
        if (object.type.is_error()) return poisoned();
        const Type& t = object.type;
        if (t.kind == TypeKind::SharedValue && n.attr == "value") {
            Var tmp = new_temp();
            int load = emit(model::Load{tmp, t.index, nullptr}, e.loc);
            set_taint(tmp, {load});
            return {mk_var(tmp, e.loc), Type::of(TypeKind::Int)};
        }
        if (t.kind == TypeKind::Process) {
            const auto& params = program_.processes[t.index].params;
            for (size_t i = 0; i < params.size(); ++i)
                if (params[i] == n.attr) {
                    if (!body_ || body_->process != -1) {
                        error(e, "only main can read a process object's parameters");
                        return poisoned();
                    }
                    Type pt = params_types_[t.index][i];
                    return {mk({model::ParamOf{object.expr, t.index, static_cast<int>(i)}, e.loc}), pt.is_error() ? Type::of(TypeKind::Int) : pt};
                }
        }
        unknown_attribute(e, n, t, false);
        return poisoned();
    }

    std::vector<std::string> attributes_of(const Type& t, bool call) const {
        switch (t.kind) {
            case TypeKind::SharedValue: return call ? std::vector<std::string>{"get_lock"} : std::vector<std::string>{"value"};
            case TypeKind::Lock: case TypeKind::Semaphore: case TypeKind::ValueLock: return {"acquire", "release"};
            case TypeKind::FileHandle: return {"read", "readline", "write", "seek", "close"};
            case TypeKind::Process: {
                if (call) return {"start", "join"};
                return program_.processes[t.index].params;
            }
            case TypeKind::List: return {"append"};
            default: return {};
        }
    }

    void unknown_attribute(const ast::Expr& e, const ast::Attribute& n, const Type& t, bool call) {
        auto known = attributes_of(t, call);
        auto other = attributes_of(t, !call);
        std::string hint;
        bool is_other = std::find(other.begin(), other.end(), n.attr) != other.end();
        if (is_other && !call) {
            error(n.attr_loc, static_cast<int>(n.attr.size()), fmt::format("`{}` is not called", n.attr),
                  fmt::format("add parentheses: `.{}()`", n.attr));
            return;
        }
        if (is_other) hint = fmt::format("`{}` is not a method: drop the parentheses", n.attr);
        else if (auto near = closest_name(n.attr, known); !near.empty()) hint = fmt::format("did you mean `{}`?", near);
        else if (!known.empty()) hint = fmt::format("a {} has: {}", tname(t), fmt::join(known, ", "));
        if (n.attr == "value" && t.kind == TypeKind::SharedArray) hint = "an Array has cells, not a value: `arr[i]`";
        if (n.attr == "value" && (t.kind == TypeKind::Lock || t.kind == TypeKind::Semaphore)) hint = "only a Value has `.value`";
        if (n.attr == "pid" && t.kind == TypeKind::Process) hint = "a process's pid is `pid()` inside its body";
        error(n.attr_loc, static_cast<int>(n.attr.size()),
              fmt::format("{} has no {} `{}`", article(tname(t)), call ? "method" : "attribute", n.attr), hint);
    }

    static std::string article(const std::string& noun) {
        if (noun.empty()) return noun;
        if (noun.rfind("the ", 0) == 0) return noun;
        bool vowel = std::string("aeiouAEIOU").find(noun[0]) != std::string::npos;
        return (vowel ? "an " : "a ") + noun;
    }

    int64_t cell_count(int object) const { return program_.objects[object].cells(); }

    // arr[i], with a static bounds check when i is a constant.
    std::optional<ExprPtr> array_index(const ast::Expr& e, int object, const ast::Expr& index) {
        Lowered i = value_expr(index);
        if (i.type.is_error()) return std::nullopt;
        if (i.type.kind != TypeKind::Int && i.type.kind != TypeKind::Bool) {
            error(index, fmt::format("an Array index must be an int, not {}", tname(i.type)));
            return std::nullopt;
        }
        if (auto c = const_int(index)) {
            int64_t n = cell_count(object);
            if (*c >= n || *c < -n) {
                error(index, fmt::format("index {} is out of range for `{}` of {} cells", *c, program_.objects[object].name, n),
                      fmt::format("valid indices are 0 to {}", n - 1));
                return std::nullopt;
            }
        }
        return i.expr;
    }

    Lowered lower_node(const ast::Expr& e, const ast::Index& n) {
        Lowered object = lower_expr(*n.object);
        if (object.type.is_error()) return poisoned();
        if (object.type.kind == TypeKind::SharedArray) {
            auto index = array_index(e, object.type.index, *n.index);
            if (!index) return poisoned();
            Var tmp = new_temp();
            int load = emit(model::Load{tmp, object.type.index, *index}, e.loc);
            set_taint(tmp, {load});
            return {mk_var(tmp, e.loc), Type::of(TypeKind::Int)};
        }
        if (object.type.kind == TypeKind::List) {
            Lowered i = value_expr(*n.index);
            if (i.type.is_error()) return poisoned();
            if (i.type.kind != TypeKind::Int) {
                error(*n.index, fmt::format("a list index must be an int, not {}", tname(i.type)));
                return poisoned();
            }
            if (object.type.element == TypeKind::Error) {
                error(e, "this list is always empty: indexing it is an IndexError", "a list literal `[]` has no elements to index");
                return poisoned();
            }
            return {mk({model::Subscript{object.expr, i.expr}, e.loc}), object.type.element_type()};
        }
        if (object.type.kind == TypeKind::SharedValue) {
            error(e, "a Value has no cells", "read it with `.value`");
            return poisoned();
        }
        error(*n.object, fmt::format("{} cannot be indexed", article(tname(object.type))));
        return poisoned();
    }

    Lowered lower_node(const ast::Expr& e, const ast::Unary& n) {
        Lowered v = value_expr(*n.operand);
        if (v.type.is_error()) return v;
        if (n.op == ast::UnOp::Not) return {mk({model::Unary{model::UnaryOp::Not, v.expr}, e.loc}), Type::of(TypeKind::Bool)};
        if (!v.type.is_number()) {
            error(e, fmt::format("bad operand type for unary -: '{}'", tname(v.type)));
            return poisoned();
        }
        Type t = v.type.kind == TypeKind::Float ? v.type : Type::of(TypeKind::Int);
        return {mk({model::Unary{model::UnaryOp::Neg, v.expr}, e.loc}), t};
    }

    static const char* op_text(ast::BinOp op) {
        switch (op) {
            case ast::BinOp::Add: return "+";
            case ast::BinOp::Sub: return "-";
            case ast::BinOp::Mul: return "*";
            case ast::BinOp::Div: return "/";
            case ast::BinOp::FloorDiv: return "//";
            case ast::BinOp::Mod: return "%";
            case ast::BinOp::Eq: return "==";
            case ast::BinOp::Ne: return "!=";
            case ast::BinOp::Lt: return "<";
            case ast::BinOp::Le: return "<=";
            case ast::BinOp::Gt: return ">";
            case ast::BinOp::Ge: return ">=";
            case ast::BinOp::And: return "and";
            case ast::BinOp::Or: return "or";
        }
        return "?";
    }

    static model::BinaryOp to_model(ast::BinOp op) { return static_cast<model::BinaryOp>(static_cast<int>(op)); }

    // The type of `l op r`, or Error after reporting why not.
    Type binary_type(const ast::Expr& e, ast::BinOp op, const Type& l, const Type& r) {
        using ast::BinOp;
        auto mismatch = [&](std::string hint = "") {
            if (hint.empty() && ((l.kind == TypeKind::Str) != (r.kind == TypeKind::Str)))
                hint = "convert one side with `str(...)` or `int(...)`";
            error(e, fmt::format("unsupported operand types for {}: '{}' and '{}'", op_text(op), tname(l), tname(r)), hint);
            return Type::of(TypeKind::Error);
        };
        switch (op) {
            case BinOp::And:
            case BinOp::Or:
                if (l.same_as(r) || (l.is_number() && r.is_number() && l.kind != TypeKind::Float && r.kind != TypeKind::Float))
                    return l.kind == TypeKind::Bool ? r : l;
                return mismatch(fmt::format("both sides of `{}` must have the same type in critsec", op_text(op)));
            case BinOp::Eq:
            case BinOp::Ne:
                if (l.same_as(r) || (l.is_number() && r.is_number())) return Type::of(TypeKind::Bool);
                return mismatch("values of different types are never equal: convert one side");
            case BinOp::Lt: case BinOp::Le: case BinOp::Gt: case BinOp::Ge:
                if ((l.is_number() && r.is_number()) || (l.kind == TypeKind::Str && r.kind == TypeKind::Str)) return Type::of(TypeKind::Bool);
                return mismatch();
            case BinOp::Add:
                if (l.kind == TypeKind::Str && r.kind == TypeKind::Str) return l;
                [[fallthrough]];
            case BinOp::Sub: case BinOp::FloorDiv: case BinOp::Mod:
                if (l.is_number() && r.is_number())
                    return Type::of(l.kind == TypeKind::Float || r.kind == TypeKind::Float ? TypeKind::Float : TypeKind::Int);
                return mismatch();
            case BinOp::Mul:
                if (l.is_number() && r.is_number())
                    return Type::of(l.kind == TypeKind::Float || r.kind == TypeKind::Float ? TypeKind::Float : TypeKind::Int);
                if ((l.kind == TypeKind::Str && r.kind == TypeKind::Int) || (l.kind == TypeKind::Int && r.kind == TypeKind::Str))
                    return Type::of(TypeKind::Str);
                return mismatch();
            case BinOp::Div:
                if (l.is_number() && r.is_number()) return Type::of(TypeKind::Float);
                return mismatch();
        }
        return mismatch();
    }

    Lowered lower_node(const ast::Expr& e, const ast::Binary& n) {
        Lowered l = value_expr(*n.left);
        bool short_circuit = n.op == ast::BinOp::And || n.op == ast::BinOp::Or;
        int before = body_ ? pc() : 0;
        auto instances_before = program_.instances_per_process;
        size_t diags_before = diags_.size();
        Lowered r = value_expr(*n.right);
        if (l.type.is_error() || r.type.is_error()) return poisoned();
        Type t = binary_type(e, n.op, l.type, r.type);
        if (t.is_error()) return poisoned();
        bool steps = false;
        for (int i = before; short_circuit && body_ && i < pc(); ++i) steps = steps || model::is_step(body_->code->code[i].node);
        if (!steps) return {mk({model::Binary{to_model(n.op), l.expr, r.expr}, e.loc}), t};
        // The right side reads shared state: its steps run only when Python evaluates
        // it, so lower it again behind a branch on the left side's value.
        body_->code->code.resize(before);
        program_.instances_per_process = instances_before;
        diags_.erase(diags_.begin() + static_cast<std::ptrdiff_t>(diags_before), diags_.end());
        Var result = new_temp("sc");
        emit(model::Assign{result, l.expr}, e.loc);
        ExprPtr left = mk_var(result, e.loc);
        ExprPtr go_on = n.op == ast::BinOp::And ? left : mk({model::Unary{model::UnaryOp::Not, left}, e.loc});
        int branch = emit(model::Branch{go_on, -1}, e.loc);
        body_->dynamic_depth++;  // a process created here would exist only sometimes
        r = value_expr(*n.right);
        body_->dynamic_depth--;
        if (r.type.is_error()) return poisoned();
        emit(model::Assign{result, r.expr}, e.loc);
        std::get<model::Branch>(body_->code->code[branch].node).if_false = pc();
        std::vector<int> loads = loads_behind(*l.expr);
        for (int load : loads_behind(*r.expr)) loads.push_back(load);
        set_taint(result, std::move(loads));
        return {mk_var(result, e.loc), t};
    }

    Lowered lower_node(const ast::Expr& e, const ast::ListLit& n) {
        model::ListOf out;
        Type element = Type::of(TypeKind::Error);
        for (const auto& item : n.elements) {
            Lowered v = value_expr(*item);
            if (v.type.is_error()) return poisoned();
            if (element.is_error()) element = v.type;
            else if (!element.same_as(v.type)) {
                error(*item, fmt::format("a list holds one type: this is {}, the first element is {}", tname(v.type), tname(element)));
                return poisoned();
            }
            out.elements.push_back(v.expr);
        }
        if (element.kind == TypeKind::List) {
            error(e, "lists of lists are not supported");
            return poisoned();
        }
        return {mk({std::move(out), e.loc}), Type::list_of(element, static_cast<int>(n.elements.size()))};
    }

    // The static iteration count of `range(...)`, if its arguments are constants.
    std::optional<int64_t> range_count(const ast::Expr& iterable) const {
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

    struct LoopPlan {
        // For `range`: the bounds; for a list: the list.
        bool is_range = false;
        ExprPtr start, stop, step;
        int64_t step_sign = 1;
        ExprPtr list;
        Type element;
        std::optional<int64_t> count;  // static iteration count
        bool ok = false;
    };

    LoopPlan plan_loop(const ast::Expr& iterable) {
        LoopPlan plan;
        if (const auto* call = std::get_if<ast::Call>(&iterable.node)) {
            const auto* callee = std::get_if<ast::Name>(&call->callee->node);
            if (callee && callee->id == "range" && !find_local("range")) {
                if (!check_arity(iterable, *call, "range", 1, 3)) return plan;
                plan.is_range = true;
                std::vector<ExprPtr> args;
                for (const auto& arg : call->args) {
                    Lowered v = value_expr(*arg);
                    if (v.type.is_error()) return plan;
                    if (v.type.kind != TypeKind::Int) {
                        error(*arg, fmt::format("range() takes integers, not {}", tname(v.type)));
                        return plan;
                    }
                    args.push_back(v.expr);
                }
                plan.start = args.size() >= 2 ? args[0] : mk_const(int64_t{0}, iterable.loc);
                plan.stop = args.size() >= 2 ? args[1] : args[0];
                plan.step = args.size() == 3 ? args[2] : mk_const(int64_t{1}, iterable.loc);
                if (call->args.size() == 3) {
                    auto s = const_int(*call->args[2]);
                    if (!s && report_zero_divisor(*call->args[2])) return plan;
                    if (!s || *s == 0) {
                        error(*call->args[2], s ? "range() step must not be zero" : "range() step must be a constant");
                        return plan;
                    }
                    plan.step_sign = *s > 0 ? 1 : -1;
                }
                plan.count = range_count(iterable);
                if (!plan.count) {
                    if (report_zero_divisor(iterable)) return plan;
                    error(iterable, "the bounds of this `range` are not constants",
                          "a `for` loop runs a static number of times; use constants, or a `while` loop (which the checker unrolls to --bound)");
                    return plan;
                }
                if (*plan.count > kMaxRangeIterations) {
                    error(iterable, fmt::format("this `range` runs {} times, more than the cap of {}", *plan.count, kMaxRangeIterations));
                    return plan;
                }
                plan.element = Type::of(TypeKind::Int);
                plan.ok = true;
                return plan;
            }
        }
        Lowered list = value_expr(iterable);
        if (list.type.is_error()) return plan;
        if (list.type.kind != TypeKind::List) {
            std::string hint = list.type.kind == TypeKind::Int ? "loop over `range(n)`" : "";
            error(iterable, fmt::format("cannot loop over {}", article(tname(list.type))), hint);
            return plan;
        }
        if (list.type.element == TypeKind::Error) {
            error(iterable, "this list is always empty: its elements have no type",
                  "Python would run this loop zero times; remove it, or loop over a list with elements");
            return plan;
        }
        plan.list = list.expr;
        plan.element = list.type.element_type();
        if (list.type.length >= 0) plan.count = list.type.length;
        plan.ok = true;
        return plan;
    }

    // Emits the loop head; returns {head pc, branch pc}. The body follows; close_loop() ends it.
    struct LoopFrame {
        int head;
        int branch;
        Var counter;
        ExprPtr step;
    };

    LoopFrame open_loop(const LoopPlan& plan, Var target, Loc loc) {
        Var counter = new_temp("i");
        if (plan.is_range) {
            emit(model::Assign{counter, plan.start}, loc);
            Var stop = new_temp("stop");
            emit(model::Assign{stop, plan.stop}, loc);
            int head = pc();
            auto cmp = plan.step_sign > 0 ? model::BinaryOp::Lt : model::BinaryOp::Gt;
            int branch = emit(model::Branch{mk({model::Binary{cmp, mk_var(counter, loc), mk_var(stop, loc)}, loc}), -1}, loc);
            emit(model::Assign{target, mk_var(counter, loc)}, loc);
            set_taint(target, {});
            return {head, branch, counter, plan.step};
        }
        Var list = new_temp("list");
        emit(model::Assign{list, plan.list}, loc);
        emit(model::Assign{counter, mk_const(int64_t{0}, loc)}, loc);
        int head = pc();
        auto len = mk({model::Call{model::Builtin::Len, {mk_var(list, loc)}}, loc});
        int branch = emit(model::Branch{mk({model::Binary{model::BinaryOp::Lt, mk_var(counter, loc), len}, loc}), -1}, loc);
        emit(model::Assign{target, mk({model::Subscript{mk_var(list, loc), mk_var(counter, loc)}, loc})}, loc);
        set_taint(target, {});
        return {head, branch, counter, mk_const(int64_t{1}, loc)};
    }

    void close_loop(const LoopFrame& frame, Loc loc) {
        emit(model::Assign{frame.counter, mk({model::Binary{model::BinaryOp::Add, mk_var(frame.counter, loc), frame.step}, loc})}, loc);
        emit(model::Jump{frame.head, false}, loc);
        std::get<model::Branch>(body_->code->code[frame.branch].node).if_false = pc();
    }

    Lowered lower_node(const ast::Expr& e, const ast::ListComp& n) {
        if (!body_) {
            error(e, "a list comprehension cannot initialise a plain global");
            return poisoned();
        }
        LoopPlan plan = plan_loop(*n.iterable);
        if (!plan.ok) return poisoned();
        Var result = new_temp("list");
        emit(model::Assign{result, mk_const(model::List{}, e.loc)}, e.loc);
        auto saved = body_->locals;
        Var var = declare_local(n.var, plan.element);
        LoopFrame frame = open_loop(plan, var, e.loc);
        int64_t saved_multiplier = body_->multiplier;
        bool saved_known = body_->multiplier_known;
        if (plan.count) body_->multiplier *= std::max<int64_t>(*plan.count, 0);
        else body_->multiplier_known = false;
        Lowered element = value_expr(*n.element);
        body_->multiplier = saved_multiplier;
        body_->multiplier_known = saved_known;
        if (!element.type.is_error()) emit(model::Append{result, element.expr}, e.loc);
        close_loop(frame, e.loc);
        // The comprehension's variable does not leak, as in Python 3.
        body_->locals = saved;
        if (element.type.is_error()) return poisoned();
        if (element.type.kind == TypeKind::List) {
            error(e, "lists of lists are not supported");
            return poisoned();
        }
        return {mk_var(result, e.loc), Type::list_of(element.type, plan.count ? static_cast<int>(*plan.count) : -1)};
    }

    Var declare_local(const std::string& name, const Type& type) {
        int slot = static_cast<int>(body_->code->local_names.size());
        body_->code->local_names.push_back(name);
        body_->locals[name] = {slot, type};
        return Var{slot, false};
    }

    // ---- calls -----------------------------------------------------------------------

    Lowered lower_node(const ast::Expr& e, const ast::Call& n) {
        if (const auto* name = std::get_if<ast::Name>(&n.callee->node)) {
            if (!find_local(name->id)) {
                auto g = globals_.find(name->id);
                if (g != globals_.end() && g->second.kind == GlobalKind::Template) return create_process(e, n, g->second.index);
                if (g == globals_.end() && find_builtin(name->id)) return call_builtin(e, n, name->id);
            }
        }
        if (const auto* attr = std::get_if<ast::Attribute>(&n.callee->node)) return call_method(e, n, *attr);
        Lowered callee = lower_expr(*n.callee);
        if (callee.type.is_error()) return poisoned();
        error(*n.callee, fmt::format("{} is not callable", article(tname(callee.type))));
        return poisoned();
    }

    Lowered create_process(const ast::Expr& e, const ast::Call& call, int process) {
        const auto& t = program_.processes[process];
        if (!check_arity(e, call, t.name, static_cast<int>(t.params.size()), static_cast<int>(t.params.size()))) return poisoned();
        if (body_->process != -1) {
            error(e, "only main can create processes", "create every process in `main:`");
            return poisoned();
        }
        model::Create create{{}, process, {}};
        bool bad = false;
        for (size_t i = 0; i < call.args.size(); ++i) {
            Lowered a = lower_expr(*call.args[i]);
            if (a.type.is_error()) {
                bad = true;
                continue;
            }
            if (a.type.kind == TypeKind::SharedValue || a.type.kind == TypeKind::SharedArray || a.type.kind == TypeKind::Lock ||
                a.type.kind == TypeKind::Semaphore || a.type.kind == TypeKind::FileObject) {
                error(*call.args[i], fmt::format("shared objects are not passed to processes in critsec"),
                      "they are global: use them by name inside the process and drop this parameter");
                poisoned_params_[process].insert(i);
                bad = true;
                continue;
            }
            if (reject_non_value(*call.args[i], a.type)) {
                bad = true;
                continue;
            }
            if (a.type.kind == TypeKind::FileHandle || a.type.kind == TypeKind::Process || a.type.kind == TypeKind::List) {
                error(*call.args[i], fmt::format("a process parameter must be an int, bool, str or pid, not {}", tname(a.type)));
                bad = true;
                continue;
            }
            Type& param = params_types_[process][i];
            if (param.is_error()) {
                param = a.type;
                param_sites_[process][i] = call.args[i]->loc;
            } else if (!param.same_as(a.type) && !(param.is_number() && a.type.is_number() && param.kind != TypeKind::Float && a.type.kind != TypeKind::Float)) {
                error(*call.args[i], fmt::format("parameter `{}` of `{}` is {} here but {} at line {}", t.params[i], t.name, tname(a.type),
                                                 tname(param), param_sites_[process][i].line));
                bad = true;
                continue;
            }
            create.args.push_back(a.expr);
        }
        if (bad) return poisoned();
        if (body_->dynamic_depth > 0 || !body_->multiplier_known) {
            error(e, "a process created inside `if`, `while` or a loop of unknown length",
                  "the set of processes must be static: create them at the top of `main:` or in a `for` over a constant `range`");
            return poisoned();
        }
        program_.instances_per_process[process] += body_->multiplier;
        Var tmp = new_temp("p");
        create.target = tmp;
        emit(std::move(create), e.loc);
        return {mk_var(tmp, e.loc), Type::of(TypeKind::Process, process)};
    }

    Lowered expect_type(const ast::Expr& e, std::initializer_list<TypeKind> kinds, const char* what) {
        Lowered v = value_expr(e);
        if (v.type.is_error()) return v;
        for (auto k : kinds)
            if (v.type.kind == k) return v;
        error(e, fmt::format("{} must be {}, not {}", what, kind_list(kinds), tname(v.type)));
        return poisoned();
    }

    static std::string kind_list(std::initializer_list<TypeKind> kinds) {
        std::vector<std::string> names;
        for (auto k : kinds) names.push_back(type_name(Type::of(k)));
        if (names.size() == 1) return article(names[0]);
        std::string out;
        for (size_t i = 0; i < names.size(); ++i) out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
        return out;
    }

    Lowered call_builtin(const ast::Expr& e, const ast::Call& call, const std::string& name) {
        const BuiltinInfo* info = find_builtin(name);
        if (!check_arity(e, call, name, info->min_args, name == "print" ? -1 : info->max_args)) return poisoned();
        auto pure = [&](model::Builtin fn, std::vector<ExprPtr> args, Type t) {
            return Lowered{mk({model::Call{fn, std::move(args)}, e.loc}), t};
        };
        if (name == "Value" || name == "Array" || name == "Lock" || name == "Semaphore" || name == "File") {
            error(e, fmt::format("`{}` can only be declared at the top level", name), fmt::format("write `name = {}(...)` above the processes", name));
            return poisoned();
        }
        if (name == "range") {
            error(e, "`range` is only for `for` loops and list comprehensions");
            return poisoned();
        }
        if (!body_) {
            if (name != "pid" && name != "cpu_count" && name != "randint" && name != "int" && name != "str" && name != "abs" &&
                name != "min" && name != "max" && name != "len" && name != "bool") {
                error(e, fmt::format("`{}` cannot be called at the top level", name), "put it in `main:`");
                return poisoned();
            }
        }
        if (name == "randint") {
            Lowered lo = expect_type(*call.args[0], {TypeKind::Int}, "randint's lower bound");
            Lowered hi = expect_type(*call.args[1], {TypeKind::Int}, "randint's upper bound");
            if (lo.type.is_error() || hi.type.is_error()) return poisoned();
            auto a = const_int(*call.args[0]), b = const_int(*call.args[1]);
            if (a && b && *a > *b) {
                error(e, fmt::format("empty range: randint({}, {}) has no value to draw", *a, *b), "the lower bound comes first");
                return poisoned();
            }
            Var tmp = new_temp("r");
            emit(model::Draw{tmp, lo.expr, hi.expr}, e.loc);
            return {mk_var(tmp, e.loc), Type::of(TypeKind::Int)};
        }
        if (name == "pid") return pure(model::Builtin::Pid, {}, Type::of(TypeKind::Pid));
        if (name == "parent_pid") return pure(model::Builtin::ParentPid, {}, Type::of(TypeKind::Pid));
        if (name == "cpu_count") return pure(model::Builtin::CpuCount, {}, Type::of(TypeKind::Int));
        if (name == "len") {
            Lowered v = lower_expr(*call.args[0]);
            if (v.type.is_error()) return v;
            if (v.type.kind == TypeKind::SharedArray) return {mk_const(int64_t{cell_count(v.type.index)}, e.loc), Type::of(TypeKind::Int)};
            if (v.type.kind == TypeKind::List || v.type.kind == TypeKind::Str) return pure(model::Builtin::Len, {v.expr}, Type::of(TypeKind::Int));
            if (reject_non_value(*call.args[0], v.type)) return poisoned();
            error(*call.args[0], fmt::format("object of type '{}' has no len()", tname(v.type)));
            return poisoned();
        }
        if (name == "int") {
            Lowered v = expect_type(*call.args[0], {TypeKind::Int, TypeKind::Str, TypeKind::Bool, TypeKind::Float}, "int()'s argument");
            if (v.type.is_error()) return v;
            return pure(model::Builtin::Int, {v.expr}, Type::of(TypeKind::Int));
        }
        if (name == "bool") {
            Lowered v = value_expr(*call.args[0]);
            if (v.type.is_error()) return v;
            return pure(model::Builtin::Bool, {v.expr}, Type::of(TypeKind::Bool));
        }
        if (name == "str") {
            Lowered v = value_expr(*call.args[0]);
            if (v.type.is_error()) return v;
            if (!printable(v.type)) {
                error(*call.args[0], fmt::format("str() of {} is not supported", article(tname(v.type))), printable_hint(*call.args[0], v.type));
                return poisoned();
            }
            return pure(model::Builtin::Str, {v.expr}, Type::of(TypeKind::Str));
        }
        if (name == "abs") {
            Lowered v = expect_type(*call.args[0], {TypeKind::Int, TypeKind::Float}, "abs()'s argument");
            if (v.type.is_error()) return v;
            return pure(model::Builtin::Abs, {v.expr}, v.type);
        }
        if (name == "min" || name == "max") {
            std::vector<ExprPtr> args;
            Type t = Type::of(TypeKind::Error);
            for (const auto& a : call.args) {
                Lowered v = expect_type(*a, {TypeKind::Int, TypeKind::Float}, fmt::format("{}()'s argument", name).c_str());
                if (v.type.is_error()) return v;
                if (t.is_error() || v.type.kind == TypeKind::Float) t = v.type;
                args.push_back(v.expr);
            }
            return pure(name == "min" ? model::Builtin::Min : model::Builtin::Max, std::move(args), t);
        }
        if (name == "list") {
            Lowered v = lower_expr(*call.args[0]);
            if (v.type.is_error()) return v;
            if (v.type.kind == TypeKind::List) return v;
            if (v.type.kind != TypeKind::SharedArray) {
                error(*call.args[0], fmt::format("list() takes an Array or a list, not {}", tname(v.type)));
                return poisoned();
            }
            // Python's list(arr) reads the cells one by one: one step each.
            model::ListOf cells;
            int64_t n = cell_count(v.type.index);
            for (int64_t i = 0; i < n; ++i) {
                Var tmp = new_temp();
                emit(model::Load{tmp, v.type.index, mk_const(int64_t{i}, e.loc)}, e.loc);
                cells.elements.push_back(mk_var(tmp, e.loc));
            }
            return {mk({std::move(cells), e.loc}), Type::list_of(Type::of(TypeKind::Int), static_cast<int>(n))};
        }
        if (name == "print") return lower_print(e, call);
        if (name == "sleep") {
            Lowered v = expect_type(*call.args[0], {TypeKind::Int, TypeKind::Float}, "sleep()'s argument");
            if (v.type.is_error()) return v;
            if (auto c = const_int(*call.args[0]); c && *c < 0) {
                error(*call.args[0], "sleep length must be non-negative");
                return poisoned();
            }
            emit(model::Sleep{v.expr}, e.loc);
            return {mk_const(int64_t{0}, e.loc), Type::of(TypeKind::Nothing)};
        }
        if (name == "open") return lower_open(e, call);
        error(e, fmt::format("`{}` is not supported here", name));
        return poisoned();
    }

    Lowered lower_print(const ast::Expr& e, const ast::Call& call) {
        model::FString text;
        for (size_t i = 0; i < call.args.size(); ++i) {
            Lowered v = value_expr(*call.args[i]);
            if (v.type.is_error()) return poisoned();
            if (!printable(v.type)) {
                error(*call.args[i], fmt::format("cannot print {}", article(tname(v.type))), printable_hint(*call.args[i], v.type));
                return poisoned();
            }
            if (i > 0) text.parts.push_back(mk_const(" ", e.loc));
            text.parts.push_back(v.expr);
        }
        ExprPtr line;
        if (text.parts.empty()) line = mk_const("", e.loc);
        else if (text.parts.size() == 1 && std::holds_alternative<model::FString>(text.parts[0]->node)) line = text.parts[0];
        else line = mk({std::move(text), e.loc});
        emit(model::Print{line}, e.loc);
        return {mk_const(int64_t{0}, e.loc), Type::of(TypeKind::Nothing)};
    }

    Lowered lower_open(const ast::Expr& e, const ast::Call& call) {
        int object = -1;
        const ast::Expr& name_arg = *call.args[0];
        if (auto name = const_str(name_arg)) {
            if (!check_file_name(name_arg, *name)) return poisoned();
            object = find_file(*name);
            if (object < 0) {
                model::SharedObject f;
                f.name = *name;
                f.kind = model::ObjectKind::File;
                f.file_name = *name;
                f.loc = name_arg.loc;
                object = add_object(std::move(f), "", {});
            }
        } else {
            Lowered f = lower_expr(name_arg);
            if (f.type.is_error()) return poisoned();
            if (f.type.kind != TypeKind::FileObject) {
                error(name_arg, "open() takes a file name as a string literal, or a File", "as in `open(\"shared_total.txt\", \"w+\")`");
                return poisoned();
            }
            object = f.type.index;
        }
        model::FileMode mode = model::FileMode::R;
        if (call.args.size() == 2) {
            auto m = const_str(*call.args[1]);
            static const std::pair<const char*, model::FileMode> modes[] = {
                {"r", model::FileMode::R}, {"r+", model::FileMode::RPlus}, {"w", model::FileMode::W},
                {"w+", model::FileMode::WPlus}, {"a", model::FileMode::A}, {"a+", model::FileMode::APlus},
                {"rt", model::FileMode::R}, {"wt", model::FileMode::W}, {"at", model::FileMode::A}};
            bool found = false;
            for (const auto& [text, value] : modes)
                if (m && *m == text) {
                    mode = value;
                    found = true;
                }
            if (!found) {
                std::string hint = "the modes are r, r+, w, w+, a and a+";
                if (m && m->find('b') != std::string::npos) hint = "binary modes are not supported; " + hint;
                error(*call.args[1], m ? fmt::format("unknown file mode \"{}\"", *m) : "the file mode must be a string literal", hint);
                return poisoned();
            }
        }
        Var tmp = new_temp("f");
        emit(model::FileOpen{tmp, object, mode}, e.loc);
        return {mk_var(tmp, e.loc), Type::of(TypeKind::FileHandle, object)};
    }

    Lowered call_method(const ast::Expr& e, const ast::Call& call, const ast::Attribute& attr) {
        Lowered object = lower_expr(*attr.object);
        if (object.type.is_error()) return poisoned();
        const Type& t = object.type;
        const std::string& m = attr.attr;
        auto nothing = [&] { return Lowered{mk_const(int64_t{0}, e.loc), Type::of(TypeKind::Nothing)}; };
        auto arity = [&](int n) { return check_arity(e, call, m + "()", n, n); };
        bool sync = t.kind == TypeKind::Lock || t.kind == TypeKind::Semaphore || t.kind == TypeKind::ValueLock;
        if (sync && (m == "acquire" || m == "release")) {
            if (!arity(0)) return poisoned();
            if (m == "acquire") emit(model::Acquire{t.index, false}, e.loc);
            else emit(model::Release{t.index, false}, e.loc);
            return nothing();
        }
        if (t.kind == TypeKind::SharedValue && m == "get_lock") {
            if (!arity(0)) return poisoned();
            return {mk_const(int64_t{0}, e.loc), Type::of(TypeKind::ValueLock, value_lock(t.index))};
        }
        if (t.kind == TypeKind::FileHandle) {
            if (m == "read" || m == "readline") {
                if (!arity(0)) return poisoned();
                Var tmp = new_temp("s");
                int step = m == "read" ? emit(model::FileRead{tmp, object.expr}, e.loc) : emit(model::FileReadline{tmp, object.expr}, e.loc);
                set_taint(tmp, {step});
                return {mk_var(tmp, e.loc), Type::of(TypeKind::Str)};
            }
            if (m == "write") {
                if (!arity(1)) return poisoned();
                Lowered data = value_expr(*call.args[0]);
                if (data.type.is_error()) return poisoned();
                if (data.type.kind != TypeKind::Str) {
                    error(*call.args[0], fmt::format("write() argument must be str, not {}", tname(data.type)), "convert it: `f.write(str(x))`");
                    return poisoned();
                }
                emit(model::FileWrite{object.expr, data.expr, loads_behind(*data.expr)}, e.loc);
                return nothing();
            }
            if (m == "seek") {
                if (!arity(1)) return poisoned();
                Lowered off = expect_type(*call.args[0], {TypeKind::Int}, "seek()'s offset");
                if (off.type.is_error()) return poisoned();
                emit(model::FileSeek{object.expr, off.expr}, e.loc);
                return nothing();
            }
            if (m == "close") {
                if (!arity(0)) return poisoned();
                emit(model::FileClose{object.expr, false}, e.loc);
                return nothing();
            }
        }
        if (t.kind == TypeKind::Process && (m == "start" || m == "join")) {
            if (!arity(0)) return poisoned();
            if (body_->process != -1) {
                error(e, fmt::format("only main can {} processes", m), "start and join every process in `main:`");
                return poisoned();
            }
            if (m == "start") emit(model::Start{object.expr}, e.loc);
            else emit(model::Join{object.expr}, e.loc);
            return nothing();
        }
        if (t.kind == TypeKind::List && m == "append") {
            error(e, "`append` is not supported", "build the list with a comprehension: `[Adder(1, 2) for _ in range(5)]`");
            return poisoned();
        }
        if (t.kind == TypeKind::ProcessTemplate || t.kind == TypeKind::FileObject) {
            reject_non_value(*attr.object, t);
            return poisoned();
        }
        unknown_attribute(e, attr, t, true);
        return poisoned();
    }

    // ---- statements ------------------------------------------------------------------

    void lower_block(const ast::Block& block) {
        for (const auto& s : block) lower_stmt(s);
    }

    void lower_stmt(const ast::Stmt& s) {
        size_t errors_before = error_count();
        int poisoned_before = poisoned_;
        std::visit([&](const auto& n) { lower_stmt_node(s, n); }, s.node);
        // Never drop a statement silently: a value given up on without any error
        // reported (the spec has none so far) becomes an error here.
        if (poisoned_ != poisoned_before && error_count() == errors_before && errors_before == 0)
            error(s.loc, 1, "critsec cannot give this statement a type", "simplify it, or split it into smaller statements");
    }

    size_t error_count() const {
        size_t n = 0;
        for (const auto& d : diags_) n += d.severity == Severity::Error;
        return n;
    }

    void lower_stmt_node(const ast::Stmt&, const ast::Pass&) {}

    void lower_stmt_node(const ast::Stmt& s, const ast::Global& n) {
        for (const auto& name : n.names) {
            auto g = globals_.find(name);
            if (g == globals_.end() || g->second.kind != GlobalKind::Plain) {
                std::string what = g == globals_.end() ? "is not a global" : "is a shared object, not a plain global";
                error(s.loc, 6, fmt::format("`global {}`: `{}` {}", name, name, what),
                      g == globals_.end() ? "declare it at the top level first, as in `shared_total = 0`" : "shared objects need no `global`");
                continue;
            }
            if (find_local(name)) {
                error(s.loc, 6, fmt::format("`{}` is used before its `global` declaration", name));
                continue;
            }
            body_->declared_global.insert(name);
        }
    }

    void lower_stmt_node(const ast::Stmt& s, const ast::ExprStmt& n) {
        const ast::Expr& e = *n.expr;
        if (const auto* attr = std::get_if<ast::Attribute>(&e.node)) {
            // `p.start` without parentheses does nothing in Python: almost surely a slip.
            static const std::set<std::string> methods = {"start", "join", "acquire", "release", "close", "read", "readline"};
            if (methods.count(attr->attr)) {
                Lowered obj = lower_expr(*attr->object);
                if (!obj.type.is_error())
                    error(attr->attr_loc, static_cast<int>(attr->attr.size()), fmt::format("`{}` is not called", attr->attr),
                          fmt::format("add parentheses: `.{}()`", attr->attr));
                return;
            }
        }
        if (!std::holds_alternative<ast::Call>(e.node)) {
            Lowered v = lower_expr(e);
            if (!v.type.is_error()) error(e, "this expression does nothing", "assign it, print it or remove it");
            return;
        }
        lower_expr(e);
    }

    // Whether a variable of type `var` may be assigned a `value` of another number
    // type. The value keeps its own type, as in Python (a float variable assigned 3
    // prints 3): a float variable is one that may hold a float. An int variable
    // cannot take a float, since its uses were checked as int.
    static bool takes_number(const Type& var, const Type& value) {
        return var.is_number() && value.is_number() && (value.kind != TypeKind::Float || var.kind == TypeKind::Float);
    }

    // Where an assignment to `name` goes: a local (new or existing) or a plain global.
    std::optional<Var> assignment_target(const ast::Expr& target, const std::string& name, const Type& value_type, bool compound) {
        if (auto local = find_local(name)) {
            if (!value_type.is_error() && !local->type.same_as(value_type) && !(compound && local->type.is_number() && value_type.is_number())) {
                if (takes_number(local->type, value_type)) return Var{local->slot, false};
                error(target, fmt::format("`{}` is {} but is assigned {}", name, tname(local->type), tname(value_type)),
                      "a variable keeps one type; use another name");
                return std::nullopt;
            }
            return Var{local->slot, false};
        }
        auto g = globals_.find(name);
        if (g != globals_.end()) {
            const GlobalSym& sym = g->second;
            if (sym.kind == GlobalKind::Object) {
                std::string hint = sym.type.kind == TypeKind::SharedValue ? fmt::format("to change the shared value, write `{}.value = ...`", name) : "";
                error(target, fmt::format("cannot assign to shared object `{}`", name), hint);
                return std::nullopt;
            }
            if (sym.kind == GlobalKind::Template) {
                error(target, fmt::format("cannot assign to process `{}`", name));
                return std::nullopt;
            }
            if (sym.type.is_error()) return std::nullopt;
            bool in_main = body_->process == -1;
            if (!in_main && !body_->declared_global.count(name)) {
                if (compound) {
                    error(target, fmt::format("`{}` is a global: this process must declare `global {}` to change its copy", name, name),
                          "Python raises UnboundLocalError here; add `global " + name + "` at the top of the process");
                    return std::nullopt;
                }
                // Python makes a new local that shadows the global.
            } else {
                if (!value_type.is_error() && !sym.type.same_as(value_type) && !takes_number(sym.type, value_type)) {
                    error(target, fmt::format("global `{}` is {} but is assigned {}", name, tname(sym.type), tname(value_type)));
                    return std::nullopt;
                }
                return Var{sym.index, true};
            }
        }
        if (compound) {
            error(target, fmt::format("`{}` is changed before it is assigned", name), fmt::format("assign it first: `{} = 0`", name));
            return std::nullopt;
        }
        if (value_type.is_error()) {
            // The value's error is reported; later uses of the name stay silent.
            declare_local(name, value_type);
            return std::nullopt;
        }
        if (value_type.kind == TypeKind::Nothing) {
            error(target, "the right side gives no value");
            return std::nullopt;
        }
        if (find_builtin(name)) {
            error(target, fmt::format("`{}` is a builtin and cannot be assigned", name));
            return std::nullopt;
        }
        return declare_local(name, value_type);
    }

    static std::optional<model::BinaryOp> compound_op(ast::AssignOp op) {
        switch (op) {
            case ast::AssignOp::Add: return model::BinaryOp::Add;
            case ast::AssignOp::Sub: return model::BinaryOp::Sub;
            case ast::AssignOp::Mul: return model::BinaryOp::Mul;
            case ast::AssignOp::Set: return std::nullopt;
        }
        return std::nullopt;
    }

    static ast::BinOp ast_op(ast::AssignOp op) {
        return op == ast::AssignOp::Add ? ast::BinOp::Add : op == ast::AssignOp::Sub ? ast::BinOp::Sub : ast::BinOp::Mul;
    }

    void lower_stmt_node(const ast::Stmt& s, const ast::Assign& n) {
        const ast::Expr& target = *n.target;
        auto op = compound_op(n.op);
        // A shared cell: `total.value` or `arr[i]`.
        std::optional<int> object;
        ExprPtr index;
        if (const auto* attr = std::get_if<ast::Attribute>(&target.node)) {
            Lowered obj = lower_expr(*attr->object);
            if (obj.type.is_error()) return (void)lower_expr(*n.value);
            if (obj.type.kind == TypeKind::SharedValue && attr->attr == "value") {
                object = obj.type.index;
            } else if (obj.type.kind == TypeKind::Process) {
                error(target, "a process's parameters cannot be changed");
                return;
            } else {
                unknown_attribute(target, *attr, obj.type, false);
                return;
            }
        } else if (const auto* idx = std::get_if<ast::Index>(&target.node)) {
            Lowered obj = lower_expr(*idx->object);
            if (obj.type.is_error()) return;
            if (obj.type.kind != TypeKind::SharedArray) {
                error(target, obj.type.kind == TypeKind::List ? "list elements cannot be assigned" : fmt::format("{} cannot be indexed", article(tname(obj.type))),
                      obj.type.kind == TypeKind::SharedValue ? "write to it with `.value`" : "");
                return;
            }
            auto i = array_index(target, obj.type.index, *idx->index);
            if (!i) return;
            object = obj.type.index;
            index = *i;
        } else if (!std::holds_alternative<ast::Name>(target.node)) {
            error(target, "cannot assign to this expression", "assign to a name, `v.value` or `arr[i]`");
            return;
        }

        if (object) {
            std::vector<int> read_from;
            ExprPtr current;
            if (op) {
                // Read, then compute, then write: two steps with a gap between them.
                Var tmp = new_temp();
                int load = emit(model::Load{tmp, *object, index}, target.loc);
                set_taint(tmp, {load});
                current = mk_var(tmp, target.loc);
            }
            Lowered value = value_expr(*n.value);
            if (value.type.is_error()) return;
            if (!value.type.is_number() || value.type.kind == TypeKind::Float) {
                error(*n.value, fmt::format("a shared integer cannot hold {}", article(tname(value.type))),
                      value.type.kind == TypeKind::Str ? "convert it: `int(...)`" : value.type.kind == TypeKind::Float ? "use `//` for integer division" : "");
                return;
            }
            ExprPtr stored = op ? mk({model::Binary{*op, current, value.expr}, target.loc}) : value.expr;
            read_from = loads_behind(*stored);
            emit(model::Store{*object, index, stored, read_from}, target.loc);
            return;
        }

        const std::string& name = std::get<ast::Name>(target.node).id;
        if (!op) {
            Lowered value = value_expr(*n.value);
            auto var = assignment_target(target, name, value.type, false);
            if (!var || value.type.is_error()) return;
            if (value.type.kind == TypeKind::FileHandle) {
                // Handles are tracked per name so that `with` can close them.
            }
            emit(model::Assign{*var, value.expr}, s.loc);
            set_taint(*var, loads_behind(*value.expr));
            return;
        }
        Lowered current = lower_expr(target);
        if (current.type.is_error()) return (void)lower_expr(*n.value);
        Lowered value = value_expr(*n.value);
        if (value.type.is_error()) return;
        Type result = binary_type(target, ast_op(n.op), current.type, value.type);
        if (result.is_error()) return;
        auto var = assignment_target(target, name, result, true);
        if (!var) return;
        auto expr = mk({model::Binary{*op, current.expr, value.expr}, s.loc});
        emit(model::Assign{*var, expr}, s.loc);
        set_taint(*var, loads_behind(*expr));
    }

    ExprPtr condition(const ast::Expr& e) {
        Lowered c = value_expr(e);
        if (c.type.is_error()) return nullptr;
        if (c.type.kind == TypeKind::Process || c.type.kind == TypeKind::FileHandle) {
            error(e, fmt::format("{} is not a condition", article(tname(c.type))));
            return nullptr;
        }
        return c.expr;
    }

    void lower_stmt_node(const ast::Stmt& s, const ast::If& n) {
        std::vector<int> exits;
        body_->dynamic_depth++;
        for (const auto& branch : n.branches) {
            ExprPtr c = condition(*branch.cond);
            int br = emit(model::Branch{c ? c : mk_const(true, s.loc), -1}, branch.cond->loc);
            lower_scoped(branch.body);
            exits.push_back(emit(model::Jump{-1, false}, s.loc));
            std::get<model::Branch>(body_->code->code[br].node).if_false = pc();
        }
        lower_scoped(n.orelse);
        body_->dynamic_depth--;
        for (int j : exits) std::get<model::Jump>(body_->code->code[j].node).target = pc();
        body_->taint.clear();
    }

    // Names first assigned in a branch stay visible after it, as in Python;
    // reading one that was not assigned on the path taken is a runtime error.
    void lower_scoped(const ast::Block& block) { lower_block(block); }

    void lower_stmt_node(const ast::Stmt& s, const ast::While& n) {
        int head = pc();
        body_->taint.clear();
        ExprPtr c = condition(*n.cond);
        int br = emit(model::Branch{c ? c : mk_const(false, s.loc), -1}, n.cond->loc);
        body_->dynamic_depth++;
        lower_block(n.body);
        body_->dynamic_depth--;
        emit(model::Jump{head, true}, s.loc);
        std::get<model::Branch>(body_->code->code[br].node).if_false = pc();
        body_->code->has_loops = true;
        body_->taint.clear();
    }

    void lower_stmt_node(const ast::Stmt& s, const ast::For& n) {
        LoopPlan plan = plan_loop(*n.iterable);
        if (!plan.ok) return;
        Var var;
        if (auto local = find_local(n.var)) {
            if (!local->type.same_as(plan.element) && !takes_number(local->type, plan.element)) {
                error(n.var_loc, static_cast<int>(n.var.size()), fmt::format("`{}` is {} but the loop gives {}", n.var, tname(local->type), tname(plan.element)));
                return;
            }
            var = Var{local->slot, false};
        } else if (globals_.count(n.var) && body_->process == -1 && globals_[n.var].kind == GlobalKind::Plain) {
            var = Var{globals_[n.var].index, true};
        } else {
            var = declare_local(n.var, plan.element);
        }
        body_->taint.clear();
        LoopFrame frame = open_loop(plan, var, s.loc);
        int64_t saved_multiplier = body_->multiplier;
        bool saved_known = body_->multiplier_known;
        if (plan.count) body_->multiplier *= std::max<int64_t>(*plan.count, 0);
        else body_->multiplier_known = false;
        lower_block(n.body);
        body_->multiplier = saved_multiplier;
        body_->multiplier_known = saved_known;
        close_loop(frame, s.loc);
        body_->taint.clear();
    }

    void lower_stmt_node(const ast::Stmt& s, const ast::With& n) {
        const ast::Expr& ctx = *n.context;
        // `with open(...) as f:`
        if (const auto* call = std::get_if<ast::Call>(&ctx.node)) {
            const auto* callee = std::get_if<ast::Name>(&call->callee->node);
            if (callee && callee->id == "open" && !find_local("open")) {
                Lowered handle = lower_expr(ctx);
                if (handle.type.is_error()) {
                    if (n.as_name && !find_local(*n.as_name)) declare_local(*n.as_name, handle.type);
                    return lower_block(n.body);
                }
                ExprPtr h = handle.expr;
                if (n.as_name) {
                    auto var = assignment_target(ctx, *n.as_name, handle.type, false);
                    if (var) {
                        emit(model::Assign{*var, handle.expr}, s.loc);
                        h = mk_var(*var, s.loc);
                    }
                }
                lower_block(n.body);
                emit(model::FileClose{h, true}, s.loc);
                return;
            }
        }
        Lowered c = lower_expr(ctx);
        if (c.type.is_error()) return lower_block(n.body);
        bool sync = c.type.kind == TypeKind::Lock || c.type.kind == TypeKind::Semaphore || c.type.kind == TypeKind::ValueLock;
        if (!sync) {
            std::string hint = c.type.kind == TypeKind::SharedValue ? fmt::format("lock the Value with `with {}.get_lock():`", ast::dump(ctx))
                                                                     : "`with` takes a Lock, a Semaphore, `v.get_lock()` or `open(...)`";
            error(ctx, fmt::format("`with` needs a lock, a semaphore or a file, not {}", article(tname(c.type))), hint);
            lower_block(n.body);
            return;
        }
        if (n.as_name) {
            error(n.as_loc, static_cast<int>(n.as_name->size()), "`as` is only for `with open(...) as f:`", "drop `as ...`");
        }
        emit(model::Acquire{c.type.index, true}, ctx.loc);
        lower_block(n.body);
        emit(model::Release{c.type.index, true}, s.loc);
    }

    void lower_stmt_node(const ast::Stmt& s, const ast::Assert& n) {
        ExprPtr c = condition(*n.cond);
        ExprPtr message;
        if (n.message) {
            Lowered m = value_expr(*n.message);
            if (m.type.is_error()) return;
            if (m.type.kind != TypeKind::Str) {
                error(*n.message, fmt::format("an assert message must be a str, not {}", tname(m.type)));
                return;
            }
            message = m.expr;
        }
        if (!c) return;
        int id = static_cast<int>(program_.asserts.size());
        program_.asserts.push_back({body_->code->name, s.loc, ast::dump(*n.cond)});
        emit(model::AssertStep{c, message, id}, s.loc);
    }

    // ---- bodies ----------------------------------------------------------------------

    void collect_assigned_names(const ast::Block& block) {
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

    void lower_process(int index) {
        const auto& def = module_.processes[index];
        Body body;
        body.code = &program_.processes[index];
        body.process = index;
        body_ = &body;
        later_assigned_.clear();
        collect_assigned_names(def.body);
        // A parameter has the type of what main passes for it (int if main never creates one).
        for (size_t i = 0; i < def.params.size(); ++i) {
            Type t = params_types_[index][i];
            if (t.is_error() && !poisoned_params_[index].count(i)) t = Type::of(TypeKind::Int);
            body.locals[def.params[i].name] = {static_cast<int>(i), t};
        }
        lower_block(def.body);
        body_ = nullptr;
    }

    void lower_main() {
        if (!module_.main) {
            diags_.push_back({Severity::Error, {1, 1}, 1, "the spec has no `main:` block",
                              "add `main:` with the code that creates, starts and joins the processes"});
            return;
        }
        body_ = &main_body_;
        later_assigned_.clear();
        collect_assigned_names(module_.main->body);
        lower_block(module_.main->body);
        for (const auto& [name, _] : main_body_.locals) main_locals_.insert(name);
        body_ = nullptr;
        std::set<std::string> templates;
        for (const auto& p : module_.processes) templates.insert(p.name);
        for (auto& d : check_process_lifecycle(*module_.main, templates)) diags_.push_back(std::move(d));
    }

    void check_instance_caps() {
        int64_t total = 0;
        for (auto n : program_.instances_per_process) total += n;
        if (total > kMaxInstances && module_.main) {
            diags_.push_back({Severity::Error, module_.main->loc, 4,
                              fmt::format("main creates {} processes, more than the cap of {}", total, kMaxInstances),
                              "create fewer processes; the cap protects a shared machine"});
        }
        number_steps(program_.main);
        for (auto& p : program_.processes) number_steps(p);
        // What each store was computed from, across branches, loops and plain globals.
        model::compute_read_from(program_.main, program_.globals.size());
        for (auto& p : program_.processes) model::compute_read_from(p, program_.globals.size());
    }

    static void number_steps(model::ProcessTemplate& t) {
        int n = 0;
        for (auto& instr : t.code)
            if (model::is_step(instr.node)) instr.step = ++n;
        t.step_count = n;
    }

    const ast::Module& module_;
    model::Program program_;
    Diagnostics diags_;
    std::map<std::string, GlobalSym> globals_;
    std::set<std::string> written_globals_;
    std::set<std::string> later_assigned_;
    std::set<std::string> main_locals_;
    std::map<int, int> value_locks_;
    Body main_body_;
    Body* body_ = nullptr;
    mutable int poisoned_ = 0;
    // What main passes for each parameter of each process, learned from its calls.
    std::map<int, std::map<size_t, Type>> params_types_;
    std::map<int, std::map<size_t, Loc>> param_sites_;
    std::map<int, std::set<size_t>> poisoned_params_;  // a bad argument was reported: stay silent in the body
};

}  // namespace

LowerResult lower(const ast::Module& module, const std::string& spec_path) { return Lowerer(module, spec_path).run(); }

}  // namespace critsec
