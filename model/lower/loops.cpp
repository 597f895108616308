// Loops over a constant `range` or a list, shared by `for` and list
// comprehensions: the plan (bounds, element type, static count), the emitted head
// and tail, and the multiplier that counts the processes created in the body.
#include <fmt/format.h>

#include <algorithm>

#include "model/lower/lowerer.hpp"
#include "model/spec_limits.hpp"

namespace critsec::lowering {

// How to loop over `iterable`: a constant `range` or a list; `ok` is false after a reported error.
LoopPlan Lowerer::plan_loop(const ast::Expr& iterable) {
    if (const auto* call = std::get_if<ast::Call>(&iterable.node)) {
        const auto* callee = std::get_if<ast::Name>(&call->callee->node);
        if (callee && callee->id == "range" && !find_local("range")) return plan_range(iterable, *call);
    }
    return plan_list(iterable);
}

LoopPlan Lowerer::plan_range(const ast::Expr& iterable, const ast::Call& call) {
    LoopPlan plan;
    if (!check_arity(iterable, call, "range", 1, 3)) return plan;
    plan.is_range = true;
    std::vector<ExprPtr> args;
    for (const auto& arg : call.args) {
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
    if (call.args.size() == 3) {
        auto s = const_int(*call.args[2]);
        if (!s && report_zero_divisor(*call.args[2])) return plan;
        if (!s || *s == 0) {
            error(*call.args[2], s ? "range() step must not be zero" : "range() step must be a constant");
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

LoopPlan Lowerer::plan_list(const ast::Expr& iterable) {
    LoopPlan plan;
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

// Emits the loop head (the counter, the test, the target's value); the body follows,
// and close_loop() ends it.
LoopFrame Lowerer::open_loop(const LoopPlan& plan, Var target, Loc loc) {
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

void Lowerer::close_loop(const LoopFrame& frame, Loc loc) {
    emit(model::Assign{frame.counter, mk({model::Binary{model::BinaryOp::Add, mk_var(frame.counter, loc), frame.step}, loc})}, loc);
    emit(model::Jump{frame.head, false}, loc);
    std::get<model::Branch>(body_->code->code[frame.branch].node).if_false = pc();
}

// Lowers a loop's body: a process created in it is created once per iteration,
// and a loop of unknown length makes the count unknown.
void Lowerer::in_loop_body(const LoopPlan& plan, const std::function<void()>& body) {
    int64_t saved_multiplier = body_->multiplier;
    bool saved_known = body_->multiplier_known;
    if (plan.count) body_->multiplier *= std::max<int64_t>(*plan.count, 0);
    else body_->multiplier_known = false;
    body();
    body_->multiplier = saved_multiplier;
    body_->multiplier_known = saved_known;
}

}  // namespace critsec::lowering
