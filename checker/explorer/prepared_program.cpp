#include "checker/explorer/prepared_program.hpp"

#include <algorithm>
#include <set>

namespace critsec::checker {
namespace {

using namespace model;

void reads_of(const Expr& e, std::vector<int>& out);

void reads_of(const ExprPtr& e, std::vector<int>& out) {
    if (e) reads_of(*e, out);
}

void reads_of(const Expr& e, std::vector<int>& out) {
    std::visit(
        [&](const auto& n) {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, Var>) {
                if (!n.global) out.push_back(n.slot);
            } else if constexpr (std::is_same_v<T, Unary>) {
                reads_of(n.operand, out);
            } else if constexpr (std::is_same_v<T, Binary>) {
                reads_of(n.left, out);
                reads_of(n.right, out);
            } else if constexpr (std::is_same_v<T, Call>) {
                for (const auto& a : n.args) reads_of(a, out);
            } else if constexpr (std::is_same_v<T, FString>) {
                for (const auto& a : n.parts) reads_of(a, out);
            } else if constexpr (std::is_same_v<T, ListOf>) {
                for (const auto& a : n.elements) reads_of(a, out);
            } else if constexpr (std::is_same_v<T, Subscript>) {
                reads_of(n.list, out);
                reads_of(n.index, out);
            } else if constexpr (std::is_same_v<T, ParamOf>) {
                reads_of(n.process, out);
            }
        },
        e.node);
}

// The local slots an instruction reads, and the one it overwrites (-1: none).
struct UseDef {
    std::vector<int> uses;
    int def = -1;
};

UseDef use_def(const InstrNode& node) {
    UseDef u;
    auto target = [&](const Var& v) {
        if (!v.global) u.def = v.slot;
    };
    std::visit(
        [&](const auto& n) {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, Assign>) {
                reads_of(n.value, u.uses);
                target(n.target);
            } else if constexpr (std::is_same_v<T, Draw>) {
                reads_of(n.low, u.uses);
                reads_of(n.high, u.uses);
                target(n.target);
            } else if constexpr (std::is_same_v<T, Create>) {
                for (const auto& a : n.args) reads_of(a, u.uses);
                reads_of(n.name, u.uses);
                reads_of(n.daemon, u.uses);
                target(n.target);
            } else if constexpr (std::is_same_v<T, SetDaemon>) {
                reads_of(n.process, u.uses);
                reads_of(n.flag, u.uses);
            } else if constexpr (std::is_same_v<T, Poll>) {
                reads_of(n.process, u.uses);
                target(n.target);
            } else if constexpr (std::is_same_v<T, Append>) {
                reads_of(n.value, u.uses);
                if (!n.list.global) u.uses.push_back(n.list.slot);
            } else if constexpr (std::is_same_v<T, Branch>) reads_of(n.cond, u.uses);
            else if constexpr (std::is_same_v<T, Load>) {
                reads_of(n.index, u.uses);
                target(n.target);
            } else if constexpr (std::is_same_v<T, Store>) {
                reads_of(n.index, u.uses);
                reads_of(n.value, u.uses);
            } else if constexpr (std::is_same_v<T, FileOpen>) target(n.target);
            else if constexpr (std::is_same_v<T, FileRead> || std::is_same_v<T, FileReadline>) {
                reads_of(n.handle, u.uses);
                target(n.target);
            } else if constexpr (std::is_same_v<T, FileWrite>) {
                reads_of(n.handle, u.uses);
                reads_of(n.data, u.uses);
            } else if constexpr (std::is_same_v<T, FileSeek>) {
                reads_of(n.handle, u.uses);
                reads_of(n.offset, u.uses);
            } else if constexpr (std::is_same_v<T, FileClose>) reads_of(n.handle, u.uses);
            else if constexpr (std::is_same_v<T, Print>) reads_of(n.text, u.uses);
            else if constexpr (std::is_same_v<T, Sleep>) reads_of(n.seconds, u.uses);
            else if constexpr (std::is_same_v<T, AssertStep>) {
                reads_of(n.cond, u.uses);
                reads_of(n.message, u.uses);
            } else if constexpr (std::is_same_v<T, Start> || std::is_same_v<T, Signal>) reads_of(n.process, u.uses);
            else if constexpr (std::is_same_v<T, Join>) {
                reads_of(n.process, u.uses);
                reads_of(n.timeout, u.uses);
            }
            else if constexpr (std::is_same_v<T, Acquire>) {
                reads_of(n.timeout, u.uses);
                if (n.result) target(*n.result);  // acquire(False)'s True or False
            }
        },
        node);
    return u;
}

std::vector<int> successors(const std::vector<Instr>& code, int pc) {
    const auto& node = code[pc].node;
    if (const auto* b = std::get_if<Branch>(&node)) return {pc + 1, b->if_false};
    if (const auto* j = std::get_if<Jump>(&node)) return {j->target};
    return {pc + 1};
}

// Inserts a `sleep 0` marker before every backward jump to a `while` head.
TemplateFacts insert_markers(ProcessTemplate& t) {
    TemplateFacts f;
    const auto old = t.code;
    int n = static_cast<int>(old.size());
    std::set<int> heads;
    for (int pc = 0; pc < n; ++pc)
        if (const auto* j = std::get_if<Jump>(&old[pc].node); j && j->back_edge) heads.insert(j->target);
    std::vector<char> marked(n, 0);
    for (int pc = 0; pc < n; ++pc)
        if (const auto* j = std::get_if<Jump>(&old[pc].node); j && heads.count(j->target) && j->target <= pc) marked[pc] = 1;
    std::vector<int> new_of(n + 1);
    int next = 0;
    for (int pc = 0; pc < n; ++pc) {
        new_of[pc] = next;
        next += marked[pc] ? 2 : 1;
    }
    new_of[n] = next;
    auto remap = [&](int pc) { return pc < 0 ? pc : new_of.at(pc); };
    t.code.clear();
    std::vector<int> loop_of_head(n + 1, -1);
    for (int pc = 0; pc < n; ++pc) {
        if (marked[pc]) {
            const auto& j = std::get<Jump>(old[pc].node);
            auto zero = std::make_shared<const Expr>(Expr{Const{Value(int64_t{0})}, old[pc].loc});
            t.code.push_back(Instr{Sleep{zero}, old[pc].loc, 0});
            f.original_pc.push_back(-1);
            int& loop = loop_of_head[j.target];
            if (loop < 0) {
                loop = static_cast<int>(f.loops.size());
                f.loops.push_back({new_of[j.target], new_of[pc]});
            }
            f.loops[loop].end = std::max(f.loops[loop].end, new_of[pc]);
            f.marker_loop.resize(t.code.size(), -1);
            f.marker_loop.back() = loop;
        }
        Instr copy = old[pc];
        std::visit(
            [&](auto& node) {
                using T = std::decay_t<decltype(node)>;
                if constexpr (std::is_same_v<T, Branch>) node.if_false = remap(node.if_false);
                else if constexpr (std::is_same_v<T, Jump>) node.target = remap(node.target);
                else if constexpr (std::is_same_v<T, Store> || std::is_same_v<T, FileWrite>)
                    for (int& r : node.read_from) r = remap(r);
            },
            copy.node);
        t.code.push_back(std::move(copy));
        f.original_pc.push_back(pc);
        f.marker_loop.resize(t.code.size(), -1);
    }
    return f;
}

// An expression whose evaluation cannot fail whatever its variables hold (so that
// a print of it has no effect but its text).
bool cannot_fail(const Expr& e) {
    return std::visit(
        [](const auto& n) -> bool {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, Const> || std::is_same_v<T, Var>) return true;
            else if constexpr (std::is_same_v<T, Unary>) return n.op == UnaryOp::Not && cannot_fail(*n.operand);
            else if constexpr (std::is_same_v<T, FString>) {
                for (const auto& p : n.parts)
                    if (!cannot_fail(*p)) return false;
                return true;
            } else if constexpr (std::is_same_v<T, Call>) {
                if (n.fn != Builtin::Str && n.fn != Builtin::Pid && n.fn != Builtin::ParentPid && n.fn != Builtin::CpuCount) return false;
                for (const auto& a : n.args)
                    if (!cannot_fail(*a)) return false;
                return true;
            } else {
                return false;
            }
        },
        e.node);
}

bool quiet_use(const InstrNode& node) {
    if (const auto* p = std::get_if<Print>(&node)) return cannot_fail(*p->text);
    if (const auto* s = std::get_if<Sleep>(&node)) {
        const auto* c = std::get_if<Const>(&s->seconds->node);
        return c != nullptr;
    }
    return false;
}

std::vector<std::vector<char>> solve_liveness(const std::vector<Instr>& code, const std::vector<UseDef>& ud,
                                              const std::vector<int>& pseudo_def, size_t slots) {
    int n = static_cast<int>(code.size());
    std::vector<std::vector<char>> live(n + 1, std::vector<char>(slots, 0));
    bool changed = true;
    while (changed) {
        changed = false;
        for (int pc = n - 1; pc >= 0; --pc) {
            std::vector<char> out(slots, 0);
            for (int s : successors(code, pc))
                if (s >= 0 && s <= n)
                    for (size_t k = 0; k < slots; ++k) out[k] |= live[s][k];
            if (ud[pc].def >= 0 && static_cast<size_t>(ud[pc].def) < slots) out[ud[pc].def] = 0;
            if (pseudo_def[pc] >= 0) out[pseudo_def[pc]] = 0;
            for (int u : ud[pc].uses)
                if (u >= 0 && static_cast<size_t>(u) < slots) out[u] = 1;
            if (out != live[pc]) {
                live[pc] = std::move(out);
                changed = true;
            }
        }
    }
    return live;
}

void compute_liveness(const ProcessTemplate& t, TemplateFacts& f) {
    int n = static_cast<int>(t.code.size());
    // Locals first, then one pseudo-slot per tracked load: "used" by the stores
    // computed from it, "defined" by the load itself.
    size_t locals = t.local_names.size();
    size_t slots = locals + f.tracked_loads;
    std::vector<UseDef> ud;
    std::vector<int> pseudo_def(n, -1);
    for (int pc = 0; pc < n; ++pc) {
        const auto& node = t.code[pc].node;
        ud.push_back(use_def(node));
        if (f.tracked_load[pc] >= 0) pseudo_def[pc] = static_cast<int>(locals) + f.tracked_load[pc];
        const std::vector<int>* rf = nullptr;
        if (const auto* s = std::get_if<Store>(&node)) rf = &s->read_from;
        if (const auto* w = std::get_if<FileWrite>(&node)) rf = &w->read_from;
        if (rf)
            for (int r : *rf)
                if (r >= 0 && r < n && f.tracked_load[r] >= 0) ud.back().uses.push_back(static_cast<int>(locals) + f.tracked_load[r]);
    }
    auto live = solve_liveness(t.code, ud, pseudo_def, slots);
    auto quiet_ud = ud;
    for (int pc = 0; pc < n; ++pc)
        if (quiet_use(t.code[pc].node)) quiet_ud[pc].uses.clear();
    auto relevant = solve_liveness(t.code, quiet_ud, pseudo_def, slots);
    f.dead.assign(n + 1, {});
    f.quiet.assign(n + 1, {});
    f.dead_loads.assign(n + 1, {});
    for (int pc = 0; pc <= n; ++pc)
        for (size_t k = 0; k < slots; ++k) {
            if (!live[pc][k]) {
                if (k < locals) f.dead[pc].push_back(static_cast<int>(k));
                else f.dead_loads[pc].push_back(static_cast<int>(k - locals));
            } else if (!relevant[pc][k] && k < locals) {
                f.quiet[pc].push_back(static_cast<int>(k));
            }
        }
    f.quiet_mask.assign(n + 1, std::vector<char>(locals, 0));
    for (int pc = 0; pc <= n; ++pc)
        for (int k : f.quiet[pc]) f.quiet_mask[pc][k] = 1;
}

void find_draws_ahead(const ProcessTemplate& t, TemplateFacts& f) {
    int n = static_cast<int>(t.code.size());
    f.draw_ahead.assign(n + 1, 0);
    for (int start = 0; start < n; ++start) {
        // Local code only: stop at steps (the start itself may be a step: its locals come after it).
        std::vector<char> seen(n + 1, 0);
        std::vector<int> todo;
        for (int s : successors(t.code, start)) todo.push_back(s);
        if (!is_step(t.code[start].node)) todo = {start};
        while (!todo.empty() && !f.draw_ahead[start]) {
            int pc = todo.back();
            todo.pop_back();
            if (pc < 0 || pc >= n || seen[pc]) continue;
            seen[pc] = 1;
            if (is_step(t.code[pc].node)) continue;
            if (std::holds_alternative<Draw>(t.code[pc].node)) f.draw_ahead[start] = 1;
            for (int s : successors(t.code, pc)) todo.push_back(s);
        }
    }
}

void find_tracked_loads(const ProcessTemplate& t, TemplateFacts& f) {
    f.tracked_load.assign(t.code.size(), -1);
    for (const auto& instr : t.code) {
        const std::vector<int>* rf = nullptr;
        if (const auto* s = std::get_if<Store>(&instr.node)) rf = &s->read_from;
        if (const auto* w = std::get_if<FileWrite>(&instr.node)) rf = &w->read_from;
        if (!rf) continue;
        for (int pc : *rf)
            if (pc >= 0 && pc < static_cast<int>(t.code.size()) && f.tracked_load[pc] < 0) f.tracked_load[pc] = f.tracked_loads++;
    }
}

void find_sleep_only_draws(const ProcessTemplate& t, TemplateFacts& f) {
    f.sleep_only_draw.assign(t.code.size(), 0);
    for (size_t pc = 0; pc < t.code.size(); ++pc) {
        const auto* d = std::get_if<Draw>(&t.code[pc].node);
        if (!d || d->target.global) continue;
        const auto* low = std::get_if<Const>(&d->low->node);
        if (!low || !low->value.is<int64_t>() || low->value.as<int64_t>() < 0) continue;
        bool only_sleep = true;
        for (const auto& instr : t.code) {
            UseDef u = use_def(instr.node);
            bool reads = std::find(u.uses.begin(), u.uses.end(), d->target.slot) != u.uses.end();
            if (reads && !std::holds_alternative<Sleep>(instr.node)) only_sleep = false;
        }
        f.sleep_only_draw[pc] = only_sleep;
    }
}

TemplateFacts prepare_template(ProcessTemplate& t) {
    TemplateFacts f = insert_markers(t);
    find_tracked_loads(t, f);
    compute_liveness(t, f);
    find_sleep_only_draws(t, f);
    find_draws_ahead(t, f);
    return f;
}

}  // namespace

std::vector<std::string> loop_writes(const model::Program& program, const model::ProcessTemplate& code, const LoopInfo& loop) {
    std::vector<std::string> names;
    auto add = [&](std::string name) {
        if (name.empty() || name[0] == '$' || std::find(names.begin(), names.end(), name) != names.end()) return;
        names.push_back(std::move(name));
    };
    auto var = [&](const Var& v) {
        if (v.global)
            return v.slot >= 0 && v.slot < static_cast<int>(program.globals.size()) ? program.globals[v.slot].name : std::string();
        return v.slot >= 0 && v.slot < static_cast<int>(code.local_names.size()) ? code.local_names[v.slot] : std::string();
    };
    for (int pc = loop.head; pc <= loop.end && pc < static_cast<int>(code.code.size()); ++pc)
        std::visit(
            [&](const auto& n) {
                using T = std::decay_t<decltype(n)>;
                if constexpr (std::is_same_v<T, Store>) {
                    const model::SharedObject& o = program.objects.at(n.object);
                    add(o.kind == model::ObjectKind::Array ? o.name + "[...]" : o.name + ".value");
                } else if constexpr (std::is_same_v<T, FileWrite>) {
                    add("a file");
                } else if constexpr (std::is_same_v<T, Acquire>) {
                    if (n.result) add(var(*n.result));
                } else if constexpr (std::is_same_v<T, Assign> || std::is_same_v<T, Draw> || std::is_same_v<T, Load> ||
                                     std::is_same_v<T, FileRead> || std::is_same_v<T, FileReadline> || std::is_same_v<T, Append>) {
                    if constexpr (std::is_same_v<T, Append>) add(var(n.list));
                    else add(var(n.target));
                }
            },
            code.code[pc].node);
    return names;
}

void local_reads(const Expr& e, std::vector<int>& out) { reads_of(e, out); }

PreparedProgram prepare(const Program& program) {
    PreparedProgram p;
    p.original = &program;
    p.program = program;
    p.facts.push_back(prepare_template(p.program.main));
    for (auto& t : p.program.processes) p.facts.push_back(prepare_template(t));
    return p;
}

}  // namespace critsec::checker
