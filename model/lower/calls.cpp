// Calls: creating a process, the builtins (randint, len, int, print, open ...),
// and the methods of locks, files, Values and processes.
#include <fmt/format.h>

#include "model/lower/lowerer.hpp"

namespace critsec::lowering {

namespace {

// A call of a builtin with no effect: an expression, not a step.
Lowered pure_call(const ast::Expr& e, model::Builtin fn, std::vector<ExprPtr> args, Type t) {
    return Lowered{mk({model::Call{fn, std::move(args)}, e.loc}), t};
}

std::string kind_list(std::initializer_list<TypeKind> kinds) {
    std::vector<std::string> names;
    for (auto k : kinds) names.push_back(type_name(Type::of(k)));
    if (names.size() == 1) return article(names[0]);
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
    return out;
}

}  // namespace

Lowered Lowerer::lower_node(const ast::Expr& e, const ast::Call& n) {
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

bool Lowerer::check_arity(const ast::Expr& call_expr, const ast::Call& call, const std::string& name, int min, int max,
                          bool keywords_checked) {
    int n = static_cast<int>(call.args.size());
    if (!call.keywords.empty() && name != "print" && !keywords_checked) {  // print's are checked on their own
        const auto& kw = call.keywords.front();
        error(kw.loc, static_cast<int>(kw.name.size()), fmt::format("`{}` takes no keyword arguments", name),
              "pass the arguments by position");
        return false;
    }
    if (n < min || (max >= 0 && n > max)) {
        std::string expected = min == max ? std::to_string(min)
                               : max < 0  ? fmt::format("at least {}", min)
                                          : fmt::format("{} to {}", min, max);
        error(call_expr, fmt::format("`{}` takes {} argument{}, {} given", name, expected, (min == max && min == 1) ? "" : "s", n));
        return false;
    }
    return true;
}

// `name=` and `daemon=` of a process made in main: its name, a str (CPython asserts
// it is one), and whether it is a daemon. Nothing after reporting a keyword it does not take.
std::optional<Lowerer::ProcessKeywords> Lowerer::process_keywords(const ast::Call& call, const std::string& process) {
    ProcessKeywords out;
    for (const auto& kw : call.keywords) {
        ExprPtr* slot = kw.name == "name" ? &out.name : kw.name == "daemon" ? &out.daemon : nullptr;
        if (!slot || *slot) {
            error(kw.loc, static_cast<int>(kw.name.size()), fmt::format("`{}` takes no keyword argument `{}`", process, kw.name),
                  "pass its parameters by position; `name=` names the process, `daemon=` makes it a daemon");
            return std::nullopt;
        }
        bool is_name = slot == &out.name;
        Lowered v = is_name ? expect_type(*kw.value, {TypeKind::Str}, "a process's name")
                            : expect_type(*kw.value, {TypeKind::Bool}, "a process's daemon flag");
        if (v.type.is_error()) return std::nullopt;
        *slot = v.expr;
        if (!is_name) daemons_ = true;
    }
    return out;
}

Lowered Lowerer::create_process(const ast::Expr& e, const ast::Call& call, int process) {
    const auto& t = program_.processes[process];
    int n = static_cast<int>(t.params.size());
    std::optional<ProcessKeywords> keywords = process_keywords(call, t.name);
    if (!keywords || !check_arity(e, call, t.name, n, n, true)) return poisoned();
    if (body_->process != -1) {
        error(e, "only main can create processes", "create every process in `main:`");
        return poisoned();
    }
    model::Create create{{}, process, {}, keywords->name, keywords->daemon};
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
        } else if (!param.same_as(a.type) &&
                   !(param.is_number() && a.type.is_number() && param.kind != TypeKind::Float && a.type.kind != TypeKind::Float)) {
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

Lowered Lowerer::expect_type(const ast::Expr& e, std::initializer_list<TypeKind> kinds, const char* what) {
    Lowered v = value_expr(e);
    if (v.type.is_error()) return v;
    for (auto k : kinds)
        if (v.type.kind == k) return v;
    error(e, fmt::format("{} must be {}, not {}", what, kind_list(kinds), tname(v.type)));
    return poisoned();
}

// print(..., flush=True): every print is one whole line written at once, so
// flush changes nothing the model sees; end=, sep= and file= would.
bool Lowerer::print_keywords_ok(const ast::Call& call) {
    for (const auto& kw : call.keywords) {
        if (kw.name != "flush") {
            error(kw.loc, static_cast<int>(kw.name.size()), fmt::format("`print(..., {}=...)` is not supported", kw.name),
                  "critsec prints whole lines: build the line with an f-string");
            return false;
        }
        if (!std::holds_alternative<ast::BoolLit>(kw.value->node)) {
            error(*kw.value, "`flush=` takes True or False");
            return false;
        }
    }
    return true;
}

Lowered Lowerer::call_builtin(const ast::Expr& e, const ast::Call& call, const std::string& name) {
    if (name == "print" && !print_keywords_ok(call)) return poisoned();
    const BuiltinInfo* info = find_builtin(name);
    if (!check_arity(e, call, name, info->min_args, name == "print" ? -1 : info->max_args)) return poisoned();
    if (!builtin_allowed_here(e, name)) return poisoned();
    if (name == "randint") return call_randint(e, call);
    if (name == "pid") return pure_call(e, model::Builtin::Pid, {}, Type::of(TypeKind::Pid));
    if (name == "parent_pid") return pure_call(e, model::Builtin::ParentPid, {}, Type::of(TypeKind::Pid));
    if (name == "cpu_count") return pure_call(e, model::Builtin::CpuCount, {}, Type::of(TypeKind::Int));
    if (name == "process_name") return pure_call(e, model::Builtin::ProcessName, {}, Type::of(TypeKind::Str));
    if (name == "len") return call_len(e, call);
    if (name == "int" || name == "bool" || name == "str") return call_conversion(e, call, name);
    if (name == "abs" || name == "min" || name == "max") return call_numeric(e, call, name);
    if (name == "list") return call_list(e, call);
    if (name == "print") return lower_print(e, call);
    if (name == "sleep") return call_sleep(e, call);
    if (name == "open") return lower_open(e, call);
    error(e, fmt::format("`{}` is not supported here", name));
    return poisoned();
}

// Shared objects are declared, `range` is looped over, and the top level (a
// global's initial value) may only compute.
bool Lowerer::builtin_allowed_here(const ast::Expr& e, const std::string& name) {
    if (name == "Value" || name == "Array" || name == "Lock" || name == "RLock" || name == "Semaphore" || name == "File" ||
        name == "BoundedSemaphore") {
        error(e, fmt::format("`{}` can only be declared at the top level", name),
              fmt::format("write `name = {}(...)` above the processes", name));
        return false;
    }
    if (name == "range") {
        error(e, "`range` is only for `for` loops and list comprehensions");
        return false;
    }
    if (!body_) {
        if (name != "pid" && name != "cpu_count" && name != "randint" && name != "int" && name != "str" && name != "abs" && name != "min" &&
            name != "max" && name != "len" && name != "bool") {
            error(e, fmt::format("`{}` cannot be called at the top level", name), "put it in `main:`");
            return false;
        }
    }
    return true;
}

Lowered Lowerer::call_randint(const ast::Expr& e, const ast::Call& call) {
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

Lowered Lowerer::call_len(const ast::Expr& e, const ast::Call& call) {
    Lowered v = lower_expr(*call.args[0]);
    if (v.type.is_error()) return v;
    if (v.type.kind == TypeKind::SharedArray) return {mk_const(int64_t{cell_count(v.type.index)}, e.loc), Type::of(TypeKind::Int)};
    if (v.type.kind == TypeKind::List || v.type.kind == TypeKind::Str)
        return pure_call(e, model::Builtin::Len, {v.expr}, Type::of(TypeKind::Int));
    if (reject_non_value(*call.args[0], v.type)) return poisoned();
    error(*call.args[0], fmt::format("object of type '{}' has no len()", tname(v.type)));
    return poisoned();
}

// int(x), bool(x), str(x)
Lowered Lowerer::call_conversion(const ast::Expr& e, const ast::Call& call, const std::string& name) {
    if (name == "int") {
        Lowered v = expect_type(*call.args[0], {TypeKind::Int, TypeKind::Str, TypeKind::Bool, TypeKind::Float}, "int()'s argument");
        if (v.type.is_error()) return v;
        return pure_call(e, model::Builtin::Int, {v.expr}, Type::of(TypeKind::Int));
    }
    Lowered v = value_expr(*call.args[0]);
    if (v.type.is_error()) return v;
    if (name == "bool") return pure_call(e, model::Builtin::Bool, {v.expr}, Type::of(TypeKind::Bool));
    if (!printable(v.type)) {
        error(*call.args[0], fmt::format("str() of {} is not supported", article(tname(v.type))), printable_hint(*call.args[0], v.type));
        return poisoned();
    }
    return pure_call(e, model::Builtin::Str, {v.expr}, Type::of(TypeKind::Str));
}

// abs(x), min(a, b, ...), max(a, b, ...): a float argument makes the result a float.
Lowered Lowerer::call_numeric(const ast::Expr& e, const ast::Call& call, const std::string& name) {
    if (name == "abs") {
        Lowered v = expect_type(*call.args[0], {TypeKind::Int, TypeKind::Float}, "abs()'s argument");
        if (v.type.is_error()) return v;
        return pure_call(e, model::Builtin::Abs, {v.expr}, v.type);
    }
    std::vector<ExprPtr> args;
    Type t = Type::of(TypeKind::Error);
    for (const auto& a : call.args) {
        Lowered v = expect_type(*a, {TypeKind::Int, TypeKind::Float}, fmt::format("{}()'s argument", name).c_str());
        if (v.type.is_error()) return v;
        if (t.is_error() || v.type.kind == TypeKind::Float) t = v.type;
        args.push_back(v.expr);
    }
    return pure_call(e, name == "min" ? model::Builtin::Min : model::Builtin::Max, std::move(args), t);
}

Lowered Lowerer::call_list(const ast::Expr& e, const ast::Call& call) {
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

Lowered Lowerer::call_sleep(const ast::Expr& e, const ast::Call& call) {
    Lowered v = expect_type(*call.args[0], {TypeKind::Int, TypeKind::Float}, "sleep()'s argument");
    if (v.type.is_error()) return v;
    if (auto c = const_int(*call.args[0]); c && *c < 0) {
        error(*call.args[0], "sleep length must be non-negative");
        return poisoned();
    }
    emit(model::Sleep{v.expr}, e.loc);
    return {mk_const(int64_t{0}, e.loc), Type::of(TypeKind::Nothing)};
}

Lowered Lowerer::lower_print(const ast::Expr& e, const ast::Call& call) {
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

Lowered Lowerer::lower_open(const ast::Expr& e, const ast::Call& call) {
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
            {"r", model::FileMode::R},      {"r+", model::FileMode::RPlus}, {"w", model::FileMode::W},
            {"w+", model::FileMode::WPlus}, {"a", model::FileMode::A},      {"a+", model::FileMode::APlus},
            {"rt", model::FileMode::R},     {"wt", model::FileMode::W},     {"at", model::FileMode::A}};
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

// multiprocessing's acquire(block=True, timeout=None), by position or by name: True
// once it took the object; with block=False (the timeout is then ignored, as in
// CPython) or a timeout, False when it did not (program.hpp, AcquireWait).
Lowered Lowerer::lower_acquire(const ast::Expr& e, const ast::Call& call, int object) {
    if (call.args.size() > 2) {
        error(e, fmt::format("`acquire()` takes 0 to 2 arguments, {} given", call.args.size()),
              "as in `acquire(block=False)` or `acquire(timeout=2)`");
        return poisoned();
    }
    const ast::Expr* block = call.args.empty() ? nullptr : call.args[0].get();
    const ast::Expr* timeout = call.args.size() == 2 ? call.args[1].get() : nullptr;
    for (const auto& kw : call.keywords) {
        const ast::Expr*& slot = kw.name == "block" ? block : timeout;
        if ((kw.name != "block" && kw.name != "timeout") || slot) {
            bool twice = kw.name == "block" || kw.name == "timeout";
            error(kw.loc, static_cast<int>(kw.name.size()),
                  twice ? fmt::format("`acquire()` got `{}` twice", kw.name) : fmt::format("`acquire()` has no argument `{}`", kw.name),
                  kw.name == "blocking" ? "multiprocessing's acquire() calls it `block=` (`blocking=` is threading's)"
                                        : "it takes `block=` (True or False) and `timeout=` (seconds)");
            return poisoned();
        }
        slot = kw.value.get();
    }
    const auto* flag = block ? std::get_if<ast::BoolLit>(&block->node) : nullptr;
    if (block && !flag) {
        error(*block, "`block` must be True or False, written out", "as in `acquire(block=False)`");
        return poisoned();
    }
    model::Acquire a{.object = object, .by_with = false};
    if (timeout) {
        Lowered seconds = expect_type(*timeout, {TypeKind::Int, TypeKind::Float}, "acquire()'s timeout");
        if (seconds.type.is_error()) return poisoned();
        a.timeout = seconds.expr;
        a.wait = model::AcquireWait::Timed;
    }
    if (flag && !flag->value) a.wait = model::AcquireWait::Try;  // CPython ignores the timeout then
    if (a.wait == model::AcquireWait::Block) {
        emit(std::move(a), e.loc);
        return {mk_const(true, e.loc), Type::of(TypeKind::Bool)};
    }
    Var took = new_temp("ok");
    a.result = took;
    emit(std::move(a), e.loc);
    return {mk_var(took, e.loc), Type::of(TypeKind::Bool)};
}

// `xs.append(v)` on a local list: the list `xs = []` started as takes the type of
// what is first appended, and its length is no longer known statically.
Lowered Lowerer::lower_append(const ast::Expr& e, const ast::Call& call, const ast::Expr& list) {
    if (!check_arity(e, call, "append()", 1, 1)) return poisoned();
    const auto* name = std::get_if<ast::Name>(&list.node);
    auto local = name ? find_local(name->id) : std::nullopt;
    if (!local) {
        error(list, "`append` is only for a list held in a local variable", "assign the list to a name first: `xs = []`");
        return poisoned();
    }
    Lowered v = value_expr(*call.args[0]);
    if (v.type.is_error()) return poisoned();
    Type element = local->type.element_type();
    if (v.type.kind == TypeKind::List) {
        error(*call.args[0], "lists of lists are not supported");
        return poisoned();
    }
    if (!element.is_error() && !element.same_as(v.type)) {
        error(*call.args[0], fmt::format("a list holds one type: this is {}, the list's elements are {}", tname(v.type), tname(element)));
        return poisoned();
    }
    body_->locals[name->id].type = Type::list_of(v.type, -1);
    emit(model::Append{Var{local->slot, false}, v.expr}, e.loc);
    return {mk_const(int64_t{0}, e.loc), Type::of(TypeKind::Nothing)};
}

Lowered Lowerer::call_method(const ast::Expr& e, const ast::Call& call, const ast::Attribute& attr) {
    Lowered object = lower_expr(*attr.object);
    if (object.type.is_error()) return poisoned();
    const Type& t = object.type;
    const std::string& m = attr.attr;
    auto nothing = [&] { return Lowered{mk_const(int64_t{0}, e.loc), Type::of(TypeKind::Nothing)}; };
    auto arity = [&](int n) { return check_arity(e, call, m + "()", n, n); };
    bool sync = t.kind == TypeKind::Lock || t.kind == TypeKind::Semaphore || t.kind == TypeKind::ValueLock;
    if (sync && m == "acquire") return lower_acquire(e, call, t.index);
    if (sync && m == "release") {
        if (!arity(0)) return poisoned();
        emit(model::Release{t.index, false}, e.loc);
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
                error(*call.args[0], fmt::format("write() argument must be str, not {}", tname(data.type)),
                      "convert it: `f.write(str(x))`");
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
    if (t.kind == TypeKind::Process && m == "start") {
        if (!arity(0) || !in_main_only(e, "start processes")) return poisoned();
        emit(model::Start{object.expr}, e.loc);
        return nothing();
    }
    if (t.kind == TypeKind::Process) return process_method(e, call, attr, object);
    if (t.kind == TypeKind::List && m == "append") return lower_append(e, call, *attr.object);
    if (t.kind == TypeKind::ProcessTemplate || t.kind == TypeKind::FileObject) {
        reject_non_value(*attr.object, t);
        return poisoned();
    }
    unknown_attribute(e, attr, t, true);
    return poisoned();
}

}  // namespace critsec::lowering
