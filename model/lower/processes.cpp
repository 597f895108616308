// What main does with a process object besides starting it: join (with a
// timeout too), is_alive(), exitcode, terminate(), kill(), pid, daemon.
// Each step reads or changes a child's end, which is shared state.
#include <fmt/format.h>

#include "model/lower/lowerer.hpp"

namespace critsec::lowering {

bool Lowerer::in_main_only(const ast::Expr& e, const std::string& what) {
    if (body_->process == -1) return true;
    error(e, fmt::format("only main can {}", what), "start and join every process in `main:`");
    return false;
}

// multiprocessing's join(timeout=None), by position or by name.
Lowered Lowerer::lower_join(const ast::Expr& e, const ast::Call& call, const Lowered& object) {
    const ast::Expr* timeout = call.args.empty() ? nullptr : call.args[0].get();
    if (call.args.size() > 1) {
        error(e, fmt::format("`join()` takes 0 or 1 arguments, {} given", call.args.size()), "as in `p.join()` or `p.join(timeout=2)`");
        return poisoned();
    }
    for (const auto& kw : call.keywords) {
        if (kw.name != "timeout" || timeout) {
            error(kw.loc, static_cast<int>(kw.name.size()),
                  kw.name == "timeout" ? "`join()` got `timeout` twice" : fmt::format("`join()` has no argument `{}`", kw.name),
                  "it takes `timeout=` (seconds)");
            return poisoned();
        }
        timeout = kw.value.get();
    }
    if (!in_main_only(e, "join processes")) return poisoned();
    model::Join join{object.expr, nullptr};
    if (timeout) {
        Lowered seconds = expect_type(*timeout, {TypeKind::Int, TypeKind::Float}, "join()'s timeout");
        if (seconds.type.is_error()) return poisoned();
        join.timeout = seconds.expr;
    }
    emit(std::move(join), e.loc);
    return {mk_const(int64_t{0}, e.loc), Type::of(TypeKind::Nothing)};
}

Lowered Lowerer::process_method(const ast::Expr& e, const ast::Call& call, const ast::Attribute& attr, const Lowered& object) {
    const std::string& m = attr.attr;
    if (m == "join") return lower_join(e, call, object);
    if (m == "is_alive") {
        if (!check_arity(e, call, "is_alive()", 0, 0) || !in_main_only(e, "ask whether a process is alive")) return poisoned();
        Var alive = new_temp("alive");
        emit(model::Poll{alive, object.expr, model::ProcessQuery::IsAlive}, e.loc);
        return {mk_var(alive, e.loc), Type::of(TypeKind::Bool)};
    }
    if (m == "terminate" || m == "kill") {
        if (!check_arity(e, call, m + "()", 0, 0) || !in_main_only(e, m + " processes")) return poisoned();
        emit(model::Signal{object.expr, m == "kill" ? model::kSigKill : model::kSigTerm}, e.loc);
        return {mk_const(int64_t{0}, e.loc), Type::of(TypeKind::Nothing)};
    }
    if (m == "close") {
        error(attr.attr_loc, static_cast<int>(m.size()), "a process's `close()` is not modelled by critsec",
              "drop it: it only frees the Process object's resources once the process has ended");
        return poisoned();
    }
    unknown_attribute(e, attr, object.type, true);
    return poisoned();
}

// `p.exitcode` (a step: None while p runs) and `p.pid` (main's own knowledge: None
// before p.start()). Nothing when `n` names neither.
std::optional<Lowered> Lowerer::process_field(const ast::Expr& e, const ast::Attribute& n, const Lowered& object) {
    if (n.attr != "exitcode" && n.attr != "pid") return std::nullopt;
    if (!in_main_only(e, fmt::format("read a process object's `{}`", n.attr))) return poisoned();
    if (n.attr == "pid") return Lowered{mk({model::Call{model::Builtin::Pid, {object.expr}}, e.loc}), Type::of(TypeKind::Pid)};
    // An int or None: the static type says int, and the value None fails as CPython's
    // does where an int is needed (None + 1), compares unequal to every int, prints None.
    Var code = new_temp("exitcode");
    emit(model::Poll{code, object.expr, model::ProcessQuery::ExitCode}, e.loc);
    return Lowered{mk_var(code, e.loc), Type::of(TypeKind::Int)};
}

// `p.daemon = flag`, before p.start() (after it, CPython's AssertionError).
void Lowerer::set_daemon(const ast::Expr& target, const ast::Assign& n, const Lowered& object) {
    if (n.op != ast::AssignOp::Set) {
        error(target, "`daemon` is set, not updated", "write `p.daemon = True`");
        return;
    }
    if (!in_main_only(target, "make a process a daemon")) return;
    Lowered flag = expect_type(*n.value, {TypeKind::Bool}, "a process's daemon flag");
    if (flag.type.is_error()) return;
    daemons_ = true;
    emit(model::SetDaemon{object.expr, flag.expr}, target.loc);
}

}  // namespace critsec::lowering
