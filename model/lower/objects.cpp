// The top-level declarations: plain globals, and the shared objects (Value,
// Array, Lock, Semaphore, File) with their typecodes, initial values and file
// names; the recursive lock behind a Value's get_lock().
#include <fmt/format.h>

#include <cctype>

#include "model/lower/lowerer.hpp"

namespace critsec::lowering {

void Lowerer::declare_globals() {
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
                if (f == "Value" || f == "Array" || f == "Lock" || f == "Semaphore" || f == "File" || f == "RLock" ||
                    f == "BoundedSemaphore") {
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
        if (type.kind != TypeKind::Int && type.kind != TypeKind::Bool && type.kind != TypeKind::Str && type.kind != TypeKind::Float &&
            type.kind != TypeKind::Pid) {
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

int Lowerer::add_object(model::SharedObject obj, const std::string& name, Loc loc) {
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

std::optional<model::Typecode> Lowerer::typecode_arg(const ast::Expr& e) {
    auto s = const_str(e);
    if (!s) {
        error(e, "the typecode must be a string literal such as \"i\"", fmt::format("typecodes: {}", model::known_typecodes()));
        return std::nullopt;
    }
    if (s->size() == 1)
        if (auto tc = model::find_typecode((*s)[0])) return tc;
    std::string hint = fmt::format("the integer typecodes are {}", model::known_typecodes());
    if (*s == "d" || *s == "f") {
        error(e, fmt::format("typecode \"{}\" (a C {}) is not supported: critsec shares integers only", *s, *s == "d" ? "double" : "float"),
              "use \"i\" (int) or \"q\" (long long), and keep floats in a process's own variables");
        return std::nullopt;
    }
    if (*s == "L" || *s == "Q") hint = "64-bit unsigned typecodes are not supported: use \"q\"";
    error(e, fmt::format("unknown typecode \"{}\"", *s), hint);
    return std::nullopt;
}

bool Lowerer::check_fits(const ast::Expr& e, int64_t v, const model::Typecode& tc) {
    if (v >= tc.min() && v <= tc.max()) return true;
    error(e, fmt::format("initial value {} does not fit typecode '{}' ({}: {} to {})", v, tc.code, tc.c_type, tc.min(), tc.max()),
          "choose a wider typecode, such as \"q\"");
    return false;
}

void Lowerer::declare_object(const ast::TopAssign& g, const std::string& kind, const ast::Call& call) {
    model::SharedObject obj;
    obj.name = g.name;
    obj.loc = g.name_loc;
    const BuiltinInfo* info = find_builtin(kind);
    if (!check_arity(*g.value, call, kind, info->min_args, info->max_args) || !describe_object(kind, call, obj)) return poison_global(g);
    add_object(std::move(obj), g.name, g.name_loc);
}

// A global whose declaration was reported: its uses stay silent.
void Lowerer::poison_global(const ast::TopAssign& g) {
    globals_[g.name] = {GlobalKind::Object, -1, Type::of(TypeKind::Error), {}, g.name_loc};
}

// Fills in `obj` from its constructor's arguments; false after reporting why they make none.
bool Lowerer::describe_object(const std::string& kind, const ast::Call& call, model::SharedObject& obj) {
    if (kind == "Value") return describe_value(call, obj);
    if (kind == "Array") return describe_array(call, obj);
    if (kind == "Semaphore" || kind == "BoundedSemaphore") {
        obj.bounded = kind == "BoundedSemaphore";
        return describe_semaphore(call, obj);
    }
    if (kind == "File") return describe_file(call, obj);
    if (kind == "Lock" || kind == "RLock") obj.kind = model::ObjectKind::Lock;
    obj.recursive = kind == "RLock";  // its holder may take it again (and must release it as often)
    return true;
}

// Value(typecode, initial)
bool Lowerer::describe_value(const ast::Call& call, model::SharedObject& obj) {
    obj.kind = model::ObjectKind::Value;
    auto tc = typecode_arg(*call.args[0]);
    auto init = const_int(*call.args[1]);
    // Under a refused typecode the initial value is no second mistake (`Value("d", 0.5)`).
    if (tc && !init && !report_zero_divisor(*call.args[1])) error(*call.args[1], "the initial value of a Value must be an integer constant");
    if (!tc || !init) return false;
    obj.typecode = *tc;
    if (!check_fits(*call.args[1], *init, *tc)) return false;
    obj.initial = {*init};
    return true;
}

// Array(typecode, size), Array(typecode, [cells]) or Array(typecode, [v for _ in range(n)])
bool Lowerer::describe_array(const ast::Call& call, model::SharedObject& obj) {
    obj.kind = model::ObjectKind::Array;
    auto tc = typecode_arg(*call.args[0]);
    if (!tc) return false;
    obj.typecode = *tc;
    const ast::Expr& spec = *call.args[1];
    if (report_zero_divisor(spec)) return false;
    if (auto n = const_int(spec)) {
        if (*n < 1 || *n > 1024) {
            error(spec, fmt::format("an Array has 1 to 1024 cells, not {}", *n));
            return false;
        }
        obj.initial.assign(*n, 0);
        return true;
    }
    if (const auto* list = std::get_if<ast::ListLit>(&spec.node)) return listed_cells(*list, spec, *tc, obj);
    if (const auto* comp = std::get_if<ast::ListComp>(&spec.node)) return repeated_cells(*comp, spec, *tc, obj);
    error(spec, "an Array takes a size or a list of integer constants", "as in `Array(\"i\", 5)` or `Array(\"i\", [0, 0, 0])`");
    return false;
}

// The cells of `Array("i", [1, 2, 3])`.
bool Lowerer::listed_cells(const ast::ListLit& list, const ast::Expr& spec, const model::Typecode& tc, model::SharedObject& obj) {
    if (list.elements.empty() || list.elements.size() > 1024) {
        error(spec, "an Array has 1 to 1024 cells");
        return false;
    }
    for (const auto& e : list.elements) {
        auto v = const_int(*e);
        if (!v) {
            error(*e, "Array elements must be integer constants");
            return false;
        }
        if (!check_fits(*e, *v, tc)) return false;
        obj.initial.push_back(*v);
    }
    return true;
}

// The cells of `Array("i", [0 for _ in range(5)])`: one constant, a constant number of times.
bool Lowerer::repeated_cells(const ast::ListComp& comp, const ast::Expr& spec, const model::Typecode& tc, model::SharedObject& obj) {
    auto v = const_int(*comp.element);
    auto count = range_count(*comp.iterable);
    if (!v || !count) {
        error(spec, "an Array's initial list must be constant, as in `[0 for _ in range(5)]`");
        return false;
    }
    if (*count < 1 || *count > 1024) {
        error(spec, fmt::format("an Array has 1 to 1024 cells, not {}", *count));
        return false;
    }
    if (!check_fits(*comp.element, *v, tc)) return false;
    obj.initial.assign(*count, *v);
    return true;
}

// Semaphore() or Semaphore(initial); BoundedSemaphore too
bool Lowerer::describe_semaphore(const ast::Call& call, model::SharedObject& obj) {
    obj.kind = model::ObjectKind::Semaphore;
    obj.semaphore_initial = 1;
    if (call.args.empty()) return true;
    auto n = const_int(*call.args[0]);
    if (!n) {
        if (report_zero_divisor(*call.args[0])) return false;
        error(*call.args[0],
              fmt::format("the initial value of a {} must be an integer constant", obj.bounded ? "BoundedSemaphore" : "Semaphore"));
        return false;
    }
    if (*n < 0 || *n > 1000) {
        error(*call.args[0],
              fmt::format("a {}'s initial value must be between 0 and 1000, not {}", obj.bounded ? "BoundedSemaphore" : "Semaphore", *n));
        return false;
    }
    obj.semaphore_initial = *n;
    return true;
}

// File(name) or File(name, initial content)
bool Lowerer::describe_file(const ast::Call& call, model::SharedObject& obj) {
    obj.kind = model::ObjectKind::File;
    auto name = const_str(*call.args[0]);
    if (!name) {
        error(*call.args[0], "a file name must be a string literal");
        return false;
    }
    if (!check_file_name(*call.args[0], *name)) return false;
    if (find_file(*name) >= 0) {
        error(*call.args[0], fmt::format("file \"{}\" is already declared", *name));
        return false;
    }
    obj.file_name = *name;
    if (call.args.size() == 2) {
        auto content = const_str(*call.args[1]);
        if (!content) {
            error(*call.args[1], "a file's initial content must be a string literal");
            return false;
        }
        obj.file_initial = *content;
        obj.file_exists = true;
    }
    return true;
}

bool Lowerer::check_file_name(const ast::Expr& at, const std::string& name) {
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
        error(at,
              fmt::format("file name \"{}\" {}", name,
                          up       ? "leaves the run's private folder"
                          : folder ? "names a folder"
                                   : "is in a subfolder"),
              hint);
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

int Lowerer::find_file(const std::string& name) const {
    for (size_t i = 0; i < program_.objects.size(); ++i)
        if (program_.objects[i].kind == model::ObjectKind::File && program_.objects[i].file_name == name) return static_cast<int>(i);
    return -1;
}

int Lowerer::value_lock(int value_object) {
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

}  // namespace critsec::lowering
