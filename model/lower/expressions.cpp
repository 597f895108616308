// Expressions: literals, names, attributes, indexing, operators and lists, with
// their static types. A shared read becomes a Load step; an `and`/`or` whose right
// side has steps becomes a branch. Calls are in calls.cpp.
#include <fmt/format.h>

#include <algorithm>

#include "model/lower/lowerer.hpp"

namespace critsec::lowering {

namespace {

const char* op_text(ast::BinOp op) {
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

model::BinaryOp to_model(ast::BinOp op) { return static_cast<model::BinaryOp>(static_cast<int>(op)); }

}  // namespace

bool printable(const Type& t) {
    switch (t.kind) {
        case TypeKind::Int:
        case TypeKind::Float:
        case TypeKind::Bool:
        case TypeKind::Str:
        case TypeKind::Pid: return true;
        case TypeKind::List:  // a list of nothing is `[]`, always empty
            return t.element == TypeKind::Int || t.element == TypeKind::Str || t.element == TypeKind::Bool || t.element == TypeKind::Error;
        default: return false;
    }
}

std::string article(const std::string& noun) {
    if (noun.empty()) return noun;
    if (noun.rfind("the ", 0) == 0) return noun;
    bool vowel = std::string("aeiouAEIOU").find(noun[0]) != std::string::npos;
    return (vowel ? "an " : "a ") + noun;
}

Lowered Lowerer::lower_expr(const ast::Expr& e) {
    return std::visit([&](const auto& n) { return lower_node(e, n); }, e.node);
}

Lowered Lowerer::lower_node(const ast::Expr& e, const ast::IntLit& n) {
    return {mk_const(int64_t{n.value}, e.loc), Type::of(TypeKind::Int)};
}

Lowered Lowerer::lower_node(const ast::Expr& e, const ast::FloatLit& n) {
    return {mk_const(n.value, e.loc), Type::of(TypeKind::Float)};
}

Lowered Lowerer::lower_node(const ast::Expr& e, const ast::BoolLit& n) { return {mk_const(n.value, e.loc), Type::of(TypeKind::Bool)}; }

Lowered Lowerer::lower_node(const ast::Expr& e, const ast::StrLit& n) { return {mk_const(n.value, e.loc), Type::of(TypeKind::Str)}; }

Lowered Lowerer::lower_node(const ast::Expr& e, const ast::FString& n) {
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

std::string Lowerer::printable_hint(const ast::Expr& e, const Type& t) const {
    if (t.kind == TypeKind::SharedValue) return "print its value: `total.value`";
    if (t.kind == TypeKind::SharedArray) return "print its cells: `list(arr)`";
    if (t.kind == TypeKind::Process) {
        const auto& params = program_.processes[t.index].params;
        if (params.empty()) return "it has no parameters to print; print `pid()` inside the process";
        return fmt::format("print a parameter, such as `{}.{}`", expr_text(e), params.front());
    }
    return "";
}

Lowered Lowerer::lower_node(const ast::Expr& e, const ast::Name& n) {
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
bool Lowerer::reject_non_value(const ast::Expr& e, const Type& t) {
    switch (t.kind) {
        case TypeKind::SharedValue:
            error(e, "a Value is not a number: read it with `.value`", fmt::format("write `{}.value`", expr_text(e)));
            return true;
        case TypeKind::SharedArray:
            error(e, "an Array is used by its cells", "index it: `arr[i]`, or copy it with `list(arr)`");
            return true;
        case TypeKind::Lock:
        case TypeKind::Semaphore:
        case TypeKind::ValueLock:
            error(e, fmt::format("a {} is not a value", tname(t)), "use it in `with` or call `.acquire()` / `.release()`");
            return true;
        case TypeKind::FileObject: error(e, "a File is not a value", "open it: `open(f, \"r\")`"); return true;
        case TypeKind::ProcessTemplate:
            error(e, fmt::format("process `{}` must be called to make a process", tname(t)), "as in `Adder(1, 2)`");
            return true;
        case TypeKind::Nothing: error(e, "this call gives no value"); return true;
        default: return false;
    }
}

std::string Lowerer::expr_text(const ast::Expr& e) const { return ast::dump(e); }

Lowered Lowerer::value_expr(const ast::Expr& e) {
    Lowered l = lower_expr(e);
    if (l.type.is_error()) return l;
    if (reject_non_value(e, l.type)) return poisoned();
    return l;
}

Lowered Lowerer::lower_node(const ast::Expr& e, const ast::Attribute& n) {
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
                return {mk({model::ParamOf{object.expr, t.index, static_cast<int>(i)}, e.loc}),
                        pt.is_error() ? Type::of(TypeKind::Int) : pt};
            }
        if (n.attr == "name") return {mk({model::Call{model::Builtin::ProcessName, {object.expr}}, e.loc}), Type::of(TypeKind::Str)};
        if (auto field = process_field(e, n, object)) return *field;
    }
    unknown_attribute(e, n, t, false);
    return poisoned();
}

std::vector<std::string> Lowerer::attributes_of(const Type& t, bool call) const {
    switch (t.kind) {
        case TypeKind::SharedValue: return call ? std::vector<std::string>{"get_lock"} : std::vector<std::string>{"value"};
        case TypeKind::Lock:
        case TypeKind::Semaphore:
        case TypeKind::ValueLock: return {"acquire", "release"};
        case TypeKind::FileHandle: return {"read", "readline", "write", "seek", "close"};
        case TypeKind::Process: {
            if (call) return {"start", "join", "is_alive", "terminate", "kill"};
            auto attributes = program_.processes[t.index].params;
            for (const char* a : {"name", "pid", "exitcode"}) attributes.push_back(a);
            return attributes;
        }
        case TypeKind::List: return {"append"};
        default: return {};
    }
}

void Lowerer::unknown_attribute(const ast::Expr& e, const ast::Attribute& n, const Type& t, bool call) {
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
    error(n.attr_loc, static_cast<int>(n.attr.size()),
          fmt::format("{} has no {} `{}`", article(tname(t)), call ? "method" : "attribute", n.attr), hint);
}

int64_t Lowerer::cell_count(int object) const { return program_.objects[object].cells(); }

// arr[i], with a static bounds check when i is a constant.
std::optional<ExprPtr> Lowerer::array_index(const ast::Expr& e, int object, const ast::Expr& index) {
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

Lowered Lowerer::lower_node(const ast::Expr& e, const ast::Index& n) {
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

Lowered Lowerer::lower_node(const ast::Expr& e, const ast::Unary& n) {
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

// The type of `l op r`, or Error after reporting why not.
Type Lowerer::binary_type(const ast::Expr& e, ast::BinOp op, const Type& l, const Type& r) {
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
        case BinOp::Lt:
        case BinOp::Le:
        case BinOp::Gt:
        case BinOp::Ge:
            if ((l.is_number() && r.is_number()) || (l.kind == TypeKind::Str && r.kind == TypeKind::Str)) return Type::of(TypeKind::Bool);
            return mismatch();
        case BinOp::Add:
            if (l.kind == TypeKind::Str && r.kind == TypeKind::Str) return l;
            [[fallthrough]];
        case BinOp::Sub:
        case BinOp::FloorDiv:
        case BinOp::Mod:
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

Lowered Lowerer::lower_node(const ast::Expr& e, const ast::Binary& n) {
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

// `a if c else b`: a branch on c, each side assigning one temp, so that only the
// side Python evaluates runs its steps.
Lowered Lowerer::lower_node(const ast::Expr& e, const ast::Conditional& n) {
    if (!body_) {
        error(e, "a conditional expression is not a constant", "give the global a constant and assign it in main");
        return poisoned();
    }
    ExprPtr c = condition(*n.cond);
    if (!c) return poisoned();
    Var result = new_temp("if");
    int branch = emit(model::Branch{c, -1}, e.loc);
    body_->dynamic_depth++;  // a process created here would exist only sometimes
    Lowered then = value_expr(*n.then);
    if (!then.type.is_error()) emit(model::Assign{result, then.expr}, e.loc);
    int jump = emit(model::Jump{-1, false}, e.loc);
    std::get<model::Branch>(body_->code->code[branch].node).if_false = pc();
    Lowered orelse = value_expr(*n.orelse);
    if (!orelse.type.is_error()) emit(model::Assign{result, orelse.expr}, e.loc);
    body_->dynamic_depth--;
    std::get<model::Jump>(body_->code->code[jump].node).target = pc();
    if (then.type.is_error() || orelse.type.is_error()) return poisoned();
    if (!then.type.same_as(orelse.type)) {
        error(e, fmt::format("the two sides of this conditional expression are '{}' and '{}'", tname(then.type), tname(orelse.type)),
              "critsec gives an expression one type: make both sides the same type");
        return poisoned();
    }
    std::vector<int> loads = loads_behind(*c);
    for (const auto* side : {&then, &orelse})
        for (int load : loads_behind(*side->expr)) loads.push_back(load);
    set_taint(result, std::move(loads));
    return {mk_var(result, e.loc), then.type};
}

Lowered Lowerer::lower_node(const ast::Expr& e, const ast::ListLit& n) {
    if (n.tuple) {
        error(e.loc, e.length, "tuples are supported only as a process's `args=(...)`", "use a list: `[a, b]`");
        return poisoned();
    }
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

Lowered Lowerer::lower_node(const ast::Expr& e, const ast::ListComp& n) {
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
    Lowered element;
    in_loop_body(plan, [&] { element = value_expr(*n.element); });
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

}  // namespace critsec::lowering
