#include "model/program.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

namespace critsec::model {

bool is_step(const InstrNode& node) {
    return !(std::holds_alternative<Assign>(node) || std::holds_alternative<Draw>(node) || std::holds_alternative<Create>(node) ||
             std::holds_alternative<Append>(node) || std::holds_alternative<Branch>(node) || std::holds_alternative<Jump>(node) ||
             std::holds_alternative<SetDaemon>(node));
}

int Program::total_instances() const {
    int n = 0;
    for (int k : instances_per_process) n += k;
    return n;
}

namespace {

// Which loads each variable may hold a value computed from: locals first, then globals.
using Provenance = std::vector<std::set<int>>;

void loads_in(const Expr& e, const Provenance& p, size_t locals, std::set<int>& out) {
    std::visit(
        [&](const auto& n) {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, Var>) {
                size_t k = n.global ? locals + static_cast<size_t>(n.slot) : static_cast<size_t>(n.slot);
                if (n.slot >= 0 && k < p.size()) out.insert(p[k].begin(), p[k].end());
            } else if constexpr (std::is_same_v<T, Unary>) {
                loads_in(*n.operand, p, locals, out);
            } else if constexpr (std::is_same_v<T, Binary>) {
                loads_in(*n.left, p, locals, out);
                loads_in(*n.right, p, locals, out);
            } else if constexpr (std::is_same_v<T, Call>) {
                for (const auto& a : n.args) loads_in(*a, p, locals, out);
            } else if constexpr (std::is_same_v<T, FString>) {
                for (const auto& a : n.parts) loads_in(*a, p, locals, out);
            } else if constexpr (std::is_same_v<T, ListOf>) {
                for (const auto& a : n.elements) loads_in(*a, p, locals, out);
            } else if constexpr (std::is_same_v<T, Subscript>) {
                loads_in(*n.list, p, locals, out);
                loads_in(*n.index, p, locals, out);
            } else if constexpr (std::is_same_v<T, ParamOf>) {
                loads_in(*n.process, p, locals, out);
            }
        },
        e.node);
}

}  // namespace

void compute_read_from(ProcessTemplate& t, size_t global_count) {
    const int n = static_cast<int>(t.code.size());
    const size_t locals = t.local_names.size();
    const size_t width = locals + global_count;
    std::vector<std::optional<Provenance>> in(n + 1);
    in[0] = Provenance(width);
    std::vector<int> work{0};
    std::vector<char> queued(n + 1, 0);
    queued[0] = 1;
    auto slot_of = [&](const Var& v) -> long {
        size_t k = v.global ? locals + static_cast<size_t>(v.slot) : static_cast<size_t>(v.slot);
        return v.slot >= 0 && k < width ? static_cast<long>(k) : -1;
    };
    auto flow = [&](int to, const Provenance& p) {
        if (to < 0 || to > n) return;
        bool changed = false;
        if (!in[to]) {
            in[to] = p;
            changed = true;
        } else {
            for (size_t k = 0; k < width; ++k)
                for (int l : p[k]) changed = (*in[to])[k].insert(l).second || changed;
        }
        if (changed && !queued[to]) {
            queued[to] = 1;
            work.push_back(to);
        }
    };
    while (!work.empty()) {
        int pc = work.back();
        work.pop_back();
        queued[pc] = 0;
        if (pc >= n) continue;
        Provenance p = *in[pc];
        Instr& instr = t.code[pc];
        auto define = [&](const Var& v, std::set<int> loads) {
            long k = slot_of(v);
            if (k >= 0) p[k] = std::move(loads);
        };
        auto of = [&](const ExprPtr& e) {
            std::set<int> out;
            if (e) loads_in(*e, p, locals, out);
            return out;
        };
        std::vector<int> next{pc + 1};
        std::visit(
            [&](auto& node) {
                using T = std::decay_t<decltype(node)>;
                if constexpr (std::is_same_v<T, Assign>) {
                    define(node.target, of(node.value));
                } else if constexpr (std::is_same_v<T, Draw> || std::is_same_v<T, FileOpen>) {
                    define(node.target, {});
                } else if constexpr (std::is_same_v<T, Create>) {
                    std::set<int> all;
                    for (const auto& a : node.args)
                        for (int l : of(a)) all.insert(l);
                    define(node.target, all);
                } else if constexpr (std::is_same_v<T, Append>) {
                    long k = slot_of(node.list);
                    if (k >= 0)
                        for (int l : of(node.value)) p[k].insert(l);
                } else if constexpr (std::is_same_v<T, Load> || std::is_same_v<T, FileRead> || std::is_same_v<T, FileReadline>) {
                    define(node.target, {pc});
                } else if constexpr (std::is_same_v<T, Store>) {
                    std::set<int> rf = of(node.value);
                    for (int l : node.read_from) rf.insert(l);
                    node.read_from.assign(rf.begin(), rf.end());
                } else if constexpr (std::is_same_v<T, FileWrite>) {
                    std::set<int> rf = of(node.data);
                    for (int l : node.read_from) rf.insert(l);
                    node.read_from.assign(rf.begin(), rf.end());
                } else if constexpr (std::is_same_v<T, Branch>) {
                    next.push_back(node.if_false);
                } else if constexpr (std::is_same_v<T, Jump>) {
                    next = {node.target};
                }
            },
            instr.node);
        for (int to : next) flow(to, p);
    }
}

const char* mode_name(FileMode mode) {
    switch (mode) {
        case FileMode::R: return "r";
        case FileMode::RPlus: return "r+";
        case FileMode::W: return "w";
        case FileMode::WPlus: return "w+";
        case FileMode::A: return "a";
        case FileMode::APlus: return "a+";
    }
    return "?";
}

namespace {

const char* op_text(BinaryOp op) {
    static const char* names[] = {"+", "-", "*", "/", "//", "%", "==", "!=", "<", "<=", ">", ">=", "and", "or"};
    return names[static_cast<int>(op)];
}

const char* builtin_name(Builtin fn) {
    switch (fn) {
        case Builtin::Int: return "int";
        case Builtin::Str: return "str";
        case Builtin::Len: return "len";
        case Builtin::Abs: return "abs";
        case Builtin::Min: return "min";
        case Builtin::Max: return "max";
        case Builtin::Pid: return "pid";
        case Builtin::ParentPid: return "parent_pid";
        case Builtin::CpuCount: return "cpu_count";
        case Builtin::Bool: return "bool";
        case Builtin::ProcessName: return "process_name";
    }
    return "?";
}

std::string quoted(const std::string& s) { return fmt::format("{:?}", s); }

struct Printer {
    const ProcessTemplate& owner;
    const Program& program;

    std::string var(const Var& v) const {
        if (v.global) return program.globals.at(v.slot).name;
        return owner.local_names.at(v.slot);
    }

    std::string operator()(const Const& c) const {
        if (c.value.is<std::string>()) return quoted(c.value.as<std::string>());
        return to_python_str(c.value, [](int i) { return fmt::format("#{}", i); });
    }
    std::string operator()(const Var& v) const { return var(v); }
    std::string operator()(const Unary& u) const { return (u.op == UnaryOp::Not ? "not " : "-") + print(*u.operand); }
    std::string operator()(const Binary& b) const { return fmt::format("{} {} {}", wrap(*b.left), op_text(b.op), wrap(*b.right)); }
    std::string operator()(const Call& c) const {
        std::vector<std::string> args;
        for (const auto& a : c.args) args.push_back(print(*a));
        return fmt::format("{}({})", builtin_name(c.fn), fmt::join(args, ", "));
    }
    std::string operator()(const FString& f) const {
        std::string out = "f\"";
        for (const auto& p : f.parts) {
            if (const auto* c = std::get_if<Const>(&p->node); c && c->value.is<std::string>()) {
                std::string q = quoted(c->value.as<std::string>());
                out += q.substr(1, q.size() - 2);
            } else {
                out += "{" + print(*p) + "}";
            }
        }
        return out + "\"";
    }
    std::string operator()(const ListOf& l) const {
        std::vector<std::string> items;
        for (const auto& e : l.elements) items.push_back(print(*e));
        return fmt::format("[{}]", fmt::join(items, ", "));
    }
    std::string operator()(const Subscript& s) const { return fmt::format("{}[{}]", print(*s.list), print(*s.index)); }
    std::string operator()(const ParamOf& p) const {
        return fmt::format("{}.{}", print(*p.process), program.processes.at(p.process_template).params.at(p.param));
    }

    std::string print(const Expr& e) const { return std::visit(*this, e.node); }
    std::string wrap(const Expr& e) const {
        std::string s = print(e);
        return std::holds_alternative<Binary>(e.node) ? "(" + s + ")" : s;
    }
};

}  // namespace

std::string to_string(const Expr& expr, const ProcessTemplate& owner, const Program& program) {
    return Printer{owner, program}.print(expr);
}

std::string describe_step(const Instr& instr, const ProcessTemplate& owner, const Program& program) {
    Printer p{owner, program};
    auto cell = [&](int object, const ExprPtr& index) {
        const auto& o = program.objects.at(object);
        return index ? fmt::format("{}[{}]", o.name, p.print(*index)) : o.name + ".value";
    };
    auto lost = [&](const std::vector<int>& read_from) -> std::string {
        if (read_from.empty()) return "";
        std::vector<std::string> steps;
        for (int pc : read_from) steps.push_back(fmt::format("#{}", owner.code.at(pc).step));
        return fmt::format("   (computed from the read at {})", fmt::join(steps, ", "));
    };
    return std::visit(
        [&](const auto& n) -> std::string {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, Load>) return fmt::format("load    {} -> {}", cell(n.object, n.index), p.var(n.target));
            else if constexpr (std::is_same_v<T, Store>)
                return fmt::format("store   {} <- {}{}", cell(n.object, n.index), p.print(*n.value), lost(n.read_from));
            else if constexpr (std::is_same_v<T, Acquire>) {
                const auto& o = program.objects.at(n.object);
                std::string text = fmt::format("{} {}", o.kind == ObjectKind::Semaphore ? "wait   " : "acquire", o.name);
                if (n.wait == AcquireWait::Try) text += " (does not wait)";
                if (n.wait == AcquireWait::Timed) text += fmt::format(" (waits at most {} s)", p.print(*n.timeout));
                return n.result && n.wait != AcquireWait::Block ? fmt::format("{} -> {}", text, p.var(*n.result)) : text;
            } else if constexpr (std::is_same_v<T, Release>) {
                const auto& o = program.objects.at(n.object);
                return fmt::format("{} {}", o.kind == ObjectKind::Semaphore ? "signal " : "release", o.name);
            } else if constexpr (std::is_same_v<T, FileOpen>)
                return fmt::format("open    \"{}\" mode {} -> {}", program.objects.at(n.object).file_name, mode_name(n.mode),
                                   p.var(n.target));
            else if constexpr (std::is_same_v<T, FileRead>) return fmt::format("read    {} -> {}", p.print(*n.handle), p.var(n.target));
            else if constexpr (std::is_same_v<T, FileReadline>)
                return fmt::format("readline {} -> {}", p.print(*n.handle), p.var(n.target));
            else if constexpr (std::is_same_v<T, FileWrite>)
                return fmt::format("write   {} <- {}{}", p.print(*n.handle), p.print(*n.data), lost(n.read_from));
            else if constexpr (std::is_same_v<T, FileSeek>) return fmt::format("seek    {} {}", p.print(*n.handle), p.print(*n.offset));
            else if constexpr (std::is_same_v<T, FileClose>) return fmt::format("close   {}", p.print(*n.handle));
            else if constexpr (std::is_same_v<T, Print>) return fmt::format("print   {}", p.print(*n.text));
            else if constexpr (std::is_same_v<T, Sleep>) return fmt::format("sleep   {}", p.print(*n.seconds));
            else if constexpr (std::is_same_v<T, AssertStep>) return fmt::format("assert  {}", p.print(*n.cond));
            else if constexpr (std::is_same_v<T, Start>) return fmt::format("start   {}", p.print(*n.process));
            else if constexpr (std::is_same_v<T, Join>)
                return n.timeout ? fmt::format("join    {} (waits at most {} s)", p.print(*n.process), p.print(*n.timeout))
                                 : fmt::format("join    {}", p.print(*n.process));
            else if constexpr (std::is_same_v<T, Poll>)
                return fmt::format("{} {} -> {}", n.query == ProcessQuery::IsAlive ? "alive?  " : "exitcode", p.print(*n.process),
                                   p.var(n.target));
            else if constexpr (std::is_same_v<T, Signal>)
                return fmt::format("{} {}", n.signal == 9 ? "kill   " : "terminate", p.print(*n.process));
            else if constexpr (std::is_same_v<T, AtExit>) return "exit    (SIGTERM to the daemon children still running)";
            else if constexpr (std::is_same_v<T, SetDaemon>) return fmt::format("{}.daemon = {}", p.print(*n.process), p.print(*n.flag));
            else if constexpr (std::is_same_v<T, Assign>) return fmt::format("{} = {}", p.var(n.target), p.print(*n.value));
            else if constexpr (std::is_same_v<T, Draw>)
                return fmt::format("{} = randint({}, {})", p.var(n.target), p.print(*n.low), p.print(*n.high));
            else if constexpr (std::is_same_v<T, Create>) {
                std::vector<std::string> args;
                for (const auto& a : n.args) args.push_back(p.print(*a));
                if (n.daemon) args.push_back("daemon=" + p.print(*n.daemon));
                return fmt::format("{} = new {}({})", p.var(n.target), program.processes.at(n.process).name, fmt::join(args, ", "));
            } else if constexpr (std::is_same_v<T, Append>) return fmt::format("{}.append({})", p.var(n.list), p.print(*n.value));
            else if constexpr (std::is_same_v<T, Branch>) return fmt::format("if not {} goto {}", p.print(*n.cond), n.if_false);
            else if constexpr (std::is_same_v<T, Jump>) return fmt::format("goto {}", n.target);
            else return "?";
        },
        instr.node);
}

}  // namespace critsec::model
