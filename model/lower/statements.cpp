// Statements: assignments (to locals, plain globals and shared cells), `if`,
// `while`, `for`, `with`, `assert` and `global`. A statement given up on without a
// reported error is an error, never a silent gap in the model.
#include <fmt/format.h>

#include "model/lower/lowerer.hpp"

namespace critsec::lowering {

namespace {

// Whether a variable of type `var` may be assigned a `value` of another number
// type. The value keeps its own type, as in Python (a float variable assigned 3
// prints 3): a float variable is one that may hold a float. An int variable
// cannot take a float, since its uses were checked as int.
bool takes_number(const Type& var, const Type& value) {
    return var.is_number() && value.is_number() && (value.kind != TypeKind::Float || var.kind == TypeKind::Float);
}

std::optional<model::BinaryOp> compound_op(ast::AssignOp op) {
    switch (op) {
        case ast::AssignOp::Add: return model::BinaryOp::Add;
        case ast::AssignOp::Sub: return model::BinaryOp::Sub;
        case ast::AssignOp::Mul: return model::BinaryOp::Mul;
        case ast::AssignOp::Set: return std::nullopt;
    }
    return std::nullopt;
}

ast::BinOp ast_op(ast::AssignOp op) {
    return op == ast::AssignOp::Add ? ast::BinOp::Add : op == ast::AssignOp::Sub ? ast::BinOp::Sub : ast::BinOp::Mul;
}

}  // namespace

void Lowerer::lower_block(const ast::Block& block) {
    for (const auto& s : block) lower_stmt(s);
}

void Lowerer::lower_stmt(const ast::Stmt& s) {
    size_t errors_before = error_count();
    int poisoned_before = poisoned_;
    std::visit([&](const auto& n) { lower_stmt_node(s, n); }, s.node);
    // Never drop a statement silently: a value given up on without any error
    // reported (the spec has none so far) becomes an error here.
    if (poisoned_ != poisoned_before && error_count() == errors_before && errors_before == 0)
        error(s.loc, 1, "critsec cannot give this statement a type", "simplify it, or split it into smaller statements");
}

void Lowerer::lower_stmt_node(const ast::Stmt&, const ast::Pass&) {}

// The `with` blocks a `break` or `continue` leaves end first (a lock released, a file closed).
void Lowerer::leave_withs_of_loop(Loc loc) {
    for (size_t i = body_->with_exits.size(); i-- > body_->loops.back().withs_outside;) emit(body_->with_exits[i], loc);
}

void Lowerer::lower_stmt_node(const ast::Stmt& s, const ast::Break&) {
    if (body_->loops.empty()) return error(s.loc, 5, "`break` outside a loop", "Python refuses it too (SyntaxError)");
    leave_withs_of_loop(s.loc);
    body_->loops.back().breaks.push_back(emit(model::Jump{-1, false}, s.loc));
}

void Lowerer::lower_stmt_node(const ast::Stmt& s, const ast::Continue&) {
    if (body_->loops.empty()) return error(s.loc, 8, "`continue` outside a loop", "Python refuses it too (SyntaxError)");
    leave_withs_of_loop(s.loc);
    OpenLoop& loop = body_->loops.back();
    if (loop.continue_to >= 0) emit(model::Jump{loop.continue_to, true}, s.loc);  // a `while`: back to its test
    else loop.continues.push_back(emit(model::Jump{-1, false}, s.loc));
}

// A loop's body, its `continue`s jumping to `continue_to` (or, when -1, to the end of
// the body, where a `for` takes its next element).
void Lowerer::lower_loop_body(const ast::Block& body, int continue_to) {
    body_->loops.push_back({continue_to, {}, {}, body_->with_exits.size()});
    lower_block(body);
    for (int jump : body_->loops.back().continues) std::get<model::Jump>(body_->code->code[jump].node).target = pc();
}

// Only a Python program has `try:`, and the Python reader reads it as its two blocks.
void Lowerer::lower_stmt_node(const ast::Stmt& s, const ast::Try&) {
    error(s.loc, 3, "`try` is not part of critsec specs", "a failure ends the process");
}

// Only a Python program's helper functions have a `return`, and the Python reader
// inlines those: one left here ends a process or main early, which has no step.
void Lowerer::lower_stmt_node(const ast::Stmt& s, const ast::Return&) {
    error(s.loc, 6, "`return` outside a helper function is not supported", "a process ends at the end of its body");
}

void Lowerer::lower_stmt_node(const ast::Stmt& s, const ast::Global& n) {
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

void Lowerer::lower_stmt_node(const ast::Stmt& s, const ast::ExprStmt& n) {
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

// Where an assignment to `name` goes: a local (new or existing) or a plain global.
std::optional<Var> Lowerer::assignment_target(const ast::Expr& target, const std::string& name, const Type& value_type, bool compound) {
    if (auto local = find_local(name)) {
        // A name first given a value that was reported takes the next one's type, silently.
        if (local->type.is_error() && !value_type.is_error()) body_->locals[name].type = value_type;
        else if (!value_type.is_error() && !local->type.same_as(value_type) &&
                 !(compound && local->type.is_number() && value_type.is_number())) {
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
            std::string hint =
                sym.type.kind == TypeKind::SharedValue ? fmt::format("to change the shared value, write `{}.value = ...`", name) : "";
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

void Lowerer::lower_stmt_node(const ast::Stmt& s, const ast::Assign& n) {
    if (const auto* name = std::get_if<ast::Name>(&n.target->node)) {
        if (auto op = compound_op(n.op)) return assign_name_compound(s, n, name->id, *op);
        return assign_name(s, n, name->id);
    }
    if (auto cell = shared_cell(*n.target, n)) store_cell(*cell, n);
}

// The shared cell a target that is not a name writes, or nothing after reporting why it cannot.
std::optional<SharedCell> Lowerer::shared_cell(const ast::Expr& target, const ast::Assign& n) {
    if (const auto* attr = std::get_if<ast::Attribute>(&target.node)) {
        Lowered obj = lower_expr(*attr->object);
        if (obj.type.is_error()) {
            lower_expr(*n.value);
            return std::nullopt;
        }
        if (obj.type.kind == TypeKind::SharedValue && attr->attr == "value") return SharedCell{obj.type.index, nullptr};
        if (obj.type.kind == TypeKind::Process && attr->attr == "daemon") set_daemon(target, n, obj);
        else if (obj.type.kind == TypeKind::Process) error(target, "a process's parameters cannot be changed");
        else unknown_attribute(target, *attr, obj.type, false);
        return std::nullopt;
    }
    if (const auto* idx = std::get_if<ast::Index>(&target.node)) {
        Lowered obj = lower_expr(*idx->object);
        if (obj.type.is_error()) return std::nullopt;
        if (obj.type.kind != TypeKind::SharedArray) {
            error(target,
                  obj.type.kind == TypeKind::List ? "list elements cannot be assigned"
                                                  : fmt::format("{} cannot be indexed", article(tname(obj.type))),
                  obj.type.kind == TypeKind::SharedValue ? "write to it with `.value`" : "");
            return std::nullopt;
        }
        auto i = array_index(target, obj.type.index, *idx->index);
        if (!i) return std::nullopt;
        return SharedCell{obj.type.index, *i};
    }
    error(target, "cannot assign to this expression", "assign to a name, `v.value` or `arr[i]`");
    return std::nullopt;
}

// `total.value = v`, `arr[i] += v`: a Store, after a Load when compound.
void Lowerer::store_cell(const SharedCell& cell, const ast::Assign& n) {
    const ast::Expr& target = *n.target;
    auto op = compound_op(n.op);
    ExprPtr current;
    if (op) {
        // Read, then compute, then write: two steps with a gap between them.
        Var tmp = new_temp();
        int load = emit(model::Load{tmp, cell.object, cell.index}, target.loc);
        set_taint(tmp, {load});
        current = mk_var(tmp, target.loc);
    }
    Lowered value = value_expr(*n.value);
    if (value.type.is_error()) return;
    if (!value.type.is_number() || value.type.kind == TypeKind::Float) {
        error(*n.value, fmt::format("a shared integer cannot hold {}", article(tname(value.type))),
              value.type.kind == TypeKind::Str     ? "convert it: `int(...)`"
              : value.type.kind == TypeKind::Float ? "use `//` for integer division"
                                                   : "");
        return;
    }
    ExprPtr stored = op ? mk({model::Binary{*op, current, value.expr}, target.loc}) : value.expr;
    emit(model::Store{cell.object, cell.index, stored, loads_behind(*stored)}, target.loc);
}

// `name = v`
void Lowerer::assign_name(const ast::Stmt& s, const ast::Assign& n, const std::string& name) {
    Lowered value = value_expr(*n.value);
    auto var = assignment_target(*n.target, name, value.type, false);
    if (!var || value.type.is_error()) return;
    emit(model::Assign{*var, value.expr}, s.loc);
    set_taint(*var, loads_behind(*value.expr));
}

// `name += v`, `-=`, `*=`: typed as the operation on the name's current value.
void Lowerer::assign_name_compound(const ast::Stmt& s, const ast::Assign& n, const std::string& name, model::BinaryOp op) {
    const ast::Expr& target = *n.target;
    Lowered current = lower_expr(target);
    if (current.type.is_error()) return (void)lower_expr(*n.value);
    Lowered value = value_expr(*n.value);
    if (value.type.is_error()) return;
    Type result = binary_type(target, ast_op(n.op), current.type, value.type);
    if (result.is_error()) return;
    auto var = assignment_target(target, name, result, true);
    if (!var) return;
    auto expr = mk({model::Binary{op, current.expr, value.expr}, s.loc});
    emit(model::Assign{*var, expr}, s.loc);
    set_taint(*var, loads_behind(*expr));
}

ExprPtr Lowerer::condition(const ast::Expr& e) {
    Lowered c = value_expr(e);
    if (c.type.is_error()) return nullptr;
    if (c.type.kind == TypeKind::Process || c.type.kind == TypeKind::FileHandle) {
        error(e, fmt::format("{} is not a condition", article(tname(c.type))));
        return nullptr;
    }
    return c.expr;
}

void Lowerer::lower_stmt_node(const ast::Stmt& s, const ast::If& n) {
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
void Lowerer::lower_scoped(const ast::Block& block) { lower_block(block); }

void Lowerer::lower_stmt_node(const ast::Stmt& s, const ast::While& n) {
    int head = pc();
    body_->taint.clear();
    ExprPtr c = condition(*n.cond);
    int br = emit(model::Branch{c ? c : mk_const(false, s.loc), -1}, n.cond->loc);
    body_->dynamic_depth++;
    lower_loop_body(n.body, head);
    body_->dynamic_depth--;
    emit(model::Jump{head, true}, s.loc);
    std::get<model::Branch>(body_->code->code[br].node).if_false = pc();
    for (int jump : body_->loops.back().breaks) std::get<model::Jump>(body_->code->code[jump].node).target = pc();
    body_->loops.pop_back();
    body_->code->has_loops = true;
    body_->taint.clear();
}

void Lowerer::lower_stmt_node(const ast::Stmt& s, const ast::For& n) {
    LoopPlan plan = plan_loop(*n.iterable);
    if (!plan.ok) return;
    Var var;
    if (auto local = find_local(n.var)) {
        if (!local->type.same_as(plan.element) && !takes_number(local->type, plan.element)) {
            error(n.var_loc, static_cast<int>(n.var.size()),
                  fmt::format("`{}` is {} but the loop gives {}", n.var, tname(local->type), tname(plan.element)));
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
    std::vector<int> instances_before = program_.instances_per_process;
    in_loop_body(plan, [&] { lower_loop_body(n.body, -1); });
    close_loop(frame, s.loc);
    const std::vector<int>& breaks = body_->loops.back().breaks;
    for (int jump : breaks) std::get<model::Jump>(body_->code->code[jump].node).target = pc();
    // The processes a loop creates are counted statically, one set per element.
    if (!breaks.empty() && program_.instances_per_process != instances_before)
        error(body_->code->code[breaks.front()].loc, 5, "a `break` out of a loop that creates processes",
              "the set of processes must be static: create them all, then decide which to start");
    body_->loops.pop_back();
    body_->taint.clear();
}

void Lowerer::lower_stmt_node(const ast::Stmt& s, const ast::With& n) {
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
            body_->with_exits.push_back(model::FileClose{h, true});
            lower_block(n.body);
            body_->with_exits.pop_back();
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
    emit(model::Acquire{.object = c.type.index, .by_with = true}, ctx.loc);
    body_->with_exits.push_back(model::Release{c.type.index, true});
    lower_block(n.body);
    body_->with_exits.pop_back();
    emit(model::Release{c.type.index, true}, s.loc);
}

void Lowerer::lower_stmt_node(const ast::Stmt& s, const ast::Assert& n) {
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

}  // namespace critsec::lowering
