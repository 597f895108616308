// The lowering's passes in order, the bodies of main and of the processes, and
// its diagnostics. The rest of the Lowerer (model/lower/lowerer.hpp) is defined
// by concern in model/lower/.
#include "model/lower.hpp"

#include <fmt/format.h>

#include "model/lifecycle.hpp"
#include "model/lower/lowerer.hpp"
#include "model/spec_limits.hpp"

namespace critsec::lowering {

namespace {

void number_steps(model::ProcessTemplate& t) {
    int n = 0;
    for (auto& instr : t.code)
        if (model::is_step(instr.node)) instr.step = ++n;
    t.step_count = n;
}

}  // namespace

LowerResult Lowerer::run() {
    declare_processes();
    prescan_global_writes();
    declare_globals();
    // Main first: its calls give the process parameters their types.
    lower_main();
    for (size_t i = 0; i < module_.processes.size(); ++i) lower_process(static_cast<int>(i));
    check_instance_caps();
    return {std::move(program_), std::move(diags_)};
}

void Lowerer::error(Loc loc, int length, std::string message, std::string hint) {
    diags_.push_back({Severity::Error, loc, std::max(1, length), std::move(message), std::move(hint)});
}

void Lowerer::error(const ast::Expr& e, std::string message, std::string hint) {
    error(e.loc, e.length, std::move(message), std::move(hint));
}

std::string Lowerer::tname(const Type& t) const {
    if ((t.kind == TypeKind::Process || t.kind == TypeKind::ProcessTemplate) && t.index >= 0)
        return type_name(t, program_.processes[t.index].name);
    if (t.kind == TypeKind::List && t.element == TypeKind::Process && t.element_index >= 0)
        return type_name(t, program_.processes[t.element_index].name);
    return type_name(t);
}

size_t Lowerer::error_count() const {
    size_t n = 0;
    for (const auto& d : diags_) n += d.severity == Severity::Error;
    return n;
}

// Every poisoned value counts: a statement that is poisoned while no error has been
// reported would otherwise vanish from the model silently (see lower_stmt).
Lowered Lowerer::poisoned() const {
    ++poisoned_;
    return {mk_const(int64_t{0}, {}), Type::of(TypeKind::Error)};
}

void Lowerer::lower_process(int index) {
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

void Lowerer::lower_main() {
    if (!module_.main) {
        diags_.push_back({Severity::Error,
                          {1, 1},
                          1,
                          "the spec has no `main:` block",
                          "add `main:` with the code that creates, starts and joins the processes"});
        return;
    }
    body_ = &main_body_;
    later_assigned_.clear();
    collect_assigned_names(module_.main->body);
    lower_block(module_.main->body);
    if (daemons_) emit(model::AtExit{}, module_.main->loc);  // CPython's atexit: SIGTERM to the daemons
    for (const auto& [name, _] : main_body_.locals) main_locals_.insert(name);
    body_ = nullptr;
    std::set<std::string> templates;
    for (const auto& p : module_.processes) templates.insert(p.name);
    for (auto& d : check_process_lifecycle(*module_.main, templates)) diags_.push_back(std::move(d));
}

void Lowerer::check_instance_caps() {
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

}  // namespace critsec::lowering

namespace critsec {

LowerResult lower(const ast::Module& module, const std::string& spec_path) { return lowering::Lowerer(module, spec_path).run(); }

}  // namespace critsec
