#include "checker/symbolic/encoder.hpp"

#include "model/cpu_count.hpp"
#include "model/semantics.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <map>

namespace critsec::checker {
namespace {

using namespace critsec::model;

// A value during symbolic execution: a Z3 term (Int, Bool) or a concrete Python value.
struct SV {
    enum class K { Unset, Int, Bool, Str, Float, Opaque, List, Proc, Pid, File } k = K::Unset;
    std::optional<z3::expr> e;  // Int, Bool
    std::string s;              // Str
    double f = 0;               // Float
    int ref = 0;                // Proc, Pid: instance; File: open index
    std::vector<SV> items;      // List

    static SV integer(const z3::expr& x) { SV v; v.k = K::Int; v.e = x; return v; }
    static SV boolean(const z3::expr& x) { SV v; v.k = K::Bool; v.e = x; return v; }
    static SV str(std::string text) { SV v; v.k = K::Str; v.s = std::move(text); return v; }
    static SV real(double d) { SV v; v.k = K::Float; v.f = d; return v; }
    static SV opaque() { SV v; v.k = K::Opaque; return v; }
};

struct ErrorCase {
    z3::expr cond;
    std::string message;
};

struct CreatedSym {
    int instance;
    int process;
    std::vector<SV> args;
    std::string label;
    bool started = false;
    bool joined = false;
};

struct PathState {
    explicit PathState(z3::context& c) : guard(c.bool_val(true)) {}
    int pc = 0;
    std::vector<SV> locals, globals;
    z3::expr guard;
    int last = -1;
    std::vector<int> held_with;       // sync objects held by `with`, innermost last
    std::map<int, int> lock_depth;    // lock -> recursion depth this process holds
    std::map<int, int> open_interval; // lock -> Interval index
    std::vector<CreatedSym> created;  // main only
    std::vector<int> created_per_process;
    int draws = 0;
    int symbolic_branches = 0;
    std::map<int, std::pair<int, int>> loops;  // back-edge target -> (branches at last visit, iterations)
    std::map<int, int> load_at_pc;
    long fuel = 0;
};

bool numeral(const z3::expr& e, int64_t& out) {
    z3::expr s = e.is_numeral() ? e : e.simplify();
    if (!s.is_numeral()) return false;
    try {
        out = s.get_numeral_int64();
        return true;
    } catch (const z3::exception&) {
        return false;
    }
}

int truth(const z3::expr& e) {  // 1 true, 0 false, -1 symbolic
    z3::expr s = e.simplify();
    if (s.is_true()) return 1;
    if (s.is_false()) return 0;
    return -1;
}

class Executor {
public:
    Executor(z3::context& ctx, const Program& program, int bound, bool wrap_stores, Encoding& enc)
        : ctx_(ctx), program_(program), bound_(bound), wrap_stores_(wrap_stores), enc_(enc) {}

    void run() {
        enc_.program = &program_;
        enc_.bound = bound_;
        enc_.labels = {"main"};
        enc_.template_of = {-1};
        PathState main(ctx_);
        main.locals.resize(program_.main.local_names.size());
        main.globals.resize(program_.globals.size());
        main.created_per_process.resize(program_.processes.size());
        run_instance(0, main);
        enc_.instances = static_cast<int>(enc_.labels.size());
        for (int i = 1; i < enc_.instances; ++i) {
            auto it = child_init_.find(i);
            if (it == child_init_.end()) continue;  // never started
            run_instance(i, it->second);
        }
        enc_.events_of.assign(enc_.instances, {});
        for (const auto& e : enc_.events) enc_.events_of[e.instance].push_back(e.id);
    }

private:
    const ProcessTemplate& code_of(int instance) const {
        int t = enc_.template_of.at(instance);
        return t < 0 ? program_.main : program_.processes.at(t);
    }

    // ---- events -----------------------------------------------------------------------

    int new_event(PathState& st, int instance, EventKind kind, int pc, bool is_step, bool advance = true) {
        if (enc_.events.size() > 200000) throw NotEncoded("the symbolic execution has too many paths (over 200000 events)");
        int id = static_cast<int>(enc_.events.size());
        Event e(ctx_.bool_const(fmt::format("x{}_{}", instance, id).c_str()), ctx_.int_const(fmt::format("t{}_{}", instance, id).c_str()), st.guard);
        e.id = id;
        e.instance = instance;
        e.pc = pc;
        e.kind = kind;
        e.is_step = is_step;
        e.pred = st.last;
        const ProcessTemplate& code = code_of(instance);
        if (pc >= 0 && pc < static_cast<int>(code.code.size())) {
            e.step = code.code[pc].step;
            e.line = code.code[pc].loc.line;
        }
        enc_.events.push_back(std::move(e));
        if (advance) st.last = id;
        return id;
    }

    int object_event(PathState& st, int instance, EventKind kind, int pc, int object) {
        int id = new_event(st, instance, kind, pc, true);
        enc_.events[id].object = object;
        return id;
    }

    // A failure: releases what `with` holds, and ends the path where `cond` holds.
    // Returns false when the failure is certain (the path is over).
    bool fail(PathState& st, int instance, int pc, bool at_step, const z3::expr& cond, const std::string& message,
              bool is_assert = false, int assert_id = -1) {
        int t = truth(cond);
        if (t == 0) return true;
        z3::expr saved = st.guard;
        st.guard = st.guard && cond;
        int id = new_event(st, instance, EventKind::Fail, pc, at_step, false);
        st.guard = saved;
        Event& f = enc_.events[id];
        f.message = message;
        f.is_assert = is_assert;
        f.assert_id = assert_id;
        for (int obj : st.held_with) {
            if (program_.objects[obj].kind == ObjectKind::Semaphore) {
                f.signals.push_back(obj);
            } else {
                auto it = st.open_interval.find(obj);
                if (it != st.open_interval.end()) enc_.intervals[it->second].ends.push_back(id);
            }
        }
        if (t == 1) return false;
        st.guard = st.guard && !cond;
        return true;
    }

    bool flush(PathState& st, int instance, int pc, bool at_step, std::vector<ErrorCase>& errs) {
        bool alive = true;
        for (const auto& er : errs) {
            if (!fail(st, instance, pc, at_step, er.cond, er.message)) {
                alive = false;
                break;
            }
        }
        errs.clear();
        return alive;
    }

    // ---- values -----------------------------------------------------------------------

    std::string pid_name(int instance) const {
        if (instance == -1) return "shell";
        if (instance == 0) return "main";
        if (instance < static_cast<int>(enc_.labels.size())) return enc_.labels[instance];
        return fmt::format("#{}", instance);
    }

    z3::expr int_of(const SV& v, const z3::expr& cond, std::vector<ErrorCase>& errs) {
        if (v.k == SV::K::Int) return *v.e;
        if (v.k == SV::K::Bool) return z3::ite(*v.e, ctx_.int_val(1), ctx_.int_val(0));
        if (v.k == SV::K::Opaque) throw NotEncoded("an integer computed from a symbolic string or float");
        errs.push_back({cond, "TypeError: an integer was expected"});
        return ctx_.int_val(0);
    }

    z3::expr truthy(const SV& v) {
        switch (v.k) {
            case SV::K::Bool: return *v.e;
            case SV::K::Int: return *v.e != 0;
            case SV::K::Str: return ctx_.bool_val(!v.s.empty());
            case SV::K::Float: return ctx_.bool_val(v.f != 0.0);
            case SV::K::List: return ctx_.bool_val(!v.items.empty());
            case SV::K::Opaque: throw NotEncoded("the truth of a symbolic string or float");
            default: return ctx_.bool_val(true);
        }
    }

    std::optional<double> number(const SV& v) {
        int64_t n;
        if (v.k == SV::K::Float) return v.f;
        if ((v.k == SV::K::Int || v.k == SV::K::Bool) && numeral(v.k == SV::K::Int ? *v.e : z3::ite(*v.e, ctx_.int_val(1), ctx_.int_val(0)), n))
            return static_cast<double>(n);
        return std::nullopt;
    }

    std::string str_concrete(const SV& v, bool& symbolic) {
        int64_t n;
        switch (v.k) {
            case SV::K::Unset: return "<unset>";
            case SV::K::Int:
                if (numeral(*v.e, n)) return std::to_string(n);
                symbolic = true;
                return "";
            case SV::K::Bool: {
                int t = truth(*v.e);
                if (t < 0) symbolic = true;
                return t == 1 ? "True" : "False";
            }
            case SV::K::Str: return v.s;
            case SV::K::Float: return python_float_repr(v.f);
            case SV::K::Opaque: symbolic = true; return "";
            case SV::K::Proc: return "<Process " + pid_name(v.ref) + ">";
            case SV::K::Pid: return pid_name(v.ref);
            case SV::K::File: return "<file>";
            case SV::K::List: {
                std::string out = "[";
                for (size_t i = 0; i < v.items.size(); ++i) {
                    if (i) out += ", ";
                    if (v.items[i].k == SV::K::Str) out += "'" + v.items[i].s + "'";
                    else out += str_concrete(v.items[i], symbolic);
                }
                return out + "]";
            }
        }
        return "";
    }

    SV str_of(const SV& v) {
        bool symbolic = false;
        std::string s = str_concrete(v, symbolic);
        return symbolic ? SV::opaque() : SV::str(s);
    }

    z3::expr equal(const SV& l, const SV& r, const z3::expr& cond, std::vector<ErrorCase>& errs) {
        auto numeric = [](const SV& v) { return v.k == SV::K::Int || v.k == SV::K::Bool || v.k == SV::K::Float; };
        if (l.k == SV::K::Opaque || r.k == SV::K::Opaque) throw NotEncoded("comparing a symbolic string or float");
        if (numeric(l) && numeric(r)) {
            if (l.k == SV::K::Float || r.k == SV::K::Float) {
                auto a = number(l), b = number(r);
                if (!a || !b) throw NotEncoded("comparing a float with a symbolic value");
                return ctx_.bool_val(*a == *b);
            }
            return int_of(l, cond, errs) == int_of(r, cond, errs);
        }
        if (l.k != r.k) return ctx_.bool_val(false);
        switch (l.k) {
            case SV::K::Str: return ctx_.bool_val(l.s == r.s);
            case SV::K::Proc: case SV::K::Pid: case SV::K::File: return ctx_.bool_val(l.ref == r.ref);
            case SV::K::Unset: return ctx_.bool_val(true);
            case SV::K::List: {
                if (l.items.size() != r.items.size()) return ctx_.bool_val(false);
                z3::expr all = ctx_.bool_val(true);
                for (size_t i = 0; i < l.items.size(); ++i) all = all && equal(l.items[i], r.items[i], cond, errs);
                return all;
            }
            default: return ctx_.bool_val(false);
        }
    }

    z3::expr compare(BinaryOp op, const SV& l, const SV& r, const z3::expr& cond, std::vector<ErrorCase>& errs) {
        if (l.k == SV::K::Str && r.k == SV::K::Str) {
            int c = l.s.compare(r.s);
            bool b = op == BinaryOp::Lt ? c < 0 : op == BinaryOp::Le ? c <= 0 : op == BinaryOp::Gt ? c > 0 : c >= 0;
            return ctx_.bool_val(b);
        }
        if (l.k == SV::K::Float || r.k == SV::K::Float) {
            auto a = number(l), b = number(r);
            if (!a || !b) throw NotEncoded("comparing a float with a symbolic value");
            bool res = op == BinaryOp::Lt ? *a < *b : op == BinaryOp::Le ? *a <= *b : op == BinaryOp::Gt ? *a > *b : *a >= *b;
            return ctx_.bool_val(res);
        }
        z3::expr a = int_of(l, cond, errs), b = int_of(r, cond, errs);
        switch (op) {
            case BinaryOp::Lt: return a < b;
            case BinaryOp::Le: return a <= b;
            case BinaryOp::Gt: return a > b;
            default: return a >= b;
        }
    }

    // Python's and/or pick an operand; both sides are merged under the deciding condition.
    SV merge(const z3::expr& take_left, const SV& l, const SV& r) {
        int t = truth(take_left);
        if (t == 1) return l;
        if (t == 0) return r;
        if (l.k == SV::K::Bool && r.k == SV::K::Bool) return SV::boolean(z3::ite(take_left, *l.e, *r.e));
        if ((l.k == SV::K::Int || l.k == SV::K::Bool) && (r.k == SV::K::Int || r.k == SV::K::Bool) && l.k == r.k)
            return SV::integer(z3::ite(take_left, *l.e, *r.e));
        throw NotEncoded("`and`/`or` choosing between values of different kinds on a symbolic condition");
    }

    SV arith(BinaryOp op, const SV& l, const SV& r, const z3::expr& cond, std::vector<ErrorCase>& errs) {
        if (l.k == SV::K::Str || r.k == SV::K::Str || l.k == SV::K::Opaque || r.k == SV::K::Opaque) {
            if (op == BinaryOp::Add && l.k == SV::K::Str && r.k == SV::K::Str) return SV::str(l.s + r.s);
            if (op == BinaryOp::Add && (l.k == SV::K::Str || l.k == SV::K::Opaque) && (r.k == SV::K::Str || r.k == SV::K::Opaque))
                return SV::opaque();
            if (op == BinaryOp::Mul && (l.k == SV::K::Str || r.k == SV::K::Str)) {
                const SV& s = l.k == SV::K::Str ? l : r;
                const SV& n = l.k == SV::K::Str ? r : l;
                int64_t count;
                if (n.k == SV::K::Int && numeral(*n.e, count)) {
                    if (count > 0 && static_cast<size_t>(count) * s.s.size() > static_cast<size_t>(kMaxFileBytes)) {
                        errs.push_back({cond, "MemoryError: string too long"});
                        return SV::str("");
                    }
                    std::string out;
                    for (int64_t i = 0; i < count; ++i) out += s.s;
                    return SV::str(out);
                }
                return SV::opaque();
            }
            if (l.k == SV::K::Opaque || r.k == SV::K::Opaque) throw NotEncoded("arithmetic on a symbolic string");
            errs.push_back({cond, "TypeError: unsupported operand types for a string"});
            return SV::str("");
        }
        if (op == BinaryOp::Div || l.k == SV::K::Float || r.k == SV::K::Float) {
            auto x = number(l), y = number(r);
            if (!x || !y) {
                // Symbolic float: only its printing is modelled; the division by zero is.
                if (r.k == SV::K::Int || r.k == SV::K::Bool) {
                    errs.push_back({cond && int_of(r, cond, errs) == 0, "ZeroDivisionError: division by zero"});
                }
                return SV::opaque();
            }
            double a = *x, b = *y;
            switch (op) {
                case BinaryOp::Add: return SV::real(a + b);
                case BinaryOp::Sub: return SV::real(a - b);
                case BinaryOp::Mul: return SV::real(a * b);
                case BinaryOp::Div:
                    if (b == 0) { errs.push_back({cond, "ZeroDivisionError: division by zero"}); return SV::real(0); }
                    return SV::real(a / b);
                case BinaryOp::FloorDiv:
                    if (b == 0) { errs.push_back({cond, "ZeroDivisionError: float floor division by zero"}); return SV::real(0); }
                    return SV::real(std::floor(a / b));
                case BinaryOp::Mod:
                    if (b == 0) { errs.push_back({cond, "ZeroDivisionError: float modulo"}); return SV::real(0); }
                    return SV::real(a - std::floor(a / b) * b);
                default: break;
            }
        }
        z3::expr a = int_of(l, cond, errs), b = int_of(r, cond, errs);
        int64_t x, y;
        bool concrete = numeral(a, x) && numeral(b, y);
        if (concrete) {
            __int128 X = x, Y = y, R = 0;
            switch (op) {
                case BinaryOp::Add: R = X + Y; break;
                case BinaryOp::Sub: R = X - Y; break;
                case BinaryOp::Mul: R = X * Y; break;
                case BinaryOp::FloorDiv:
                case BinaryOp::Mod: {
                    if (Y == 0) {
                        errs.push_back({cond, "ZeroDivisionError: integer division or modulo by zero"});
                        return SV::integer(ctx_.int_val(0));
                    }
                    __int128 q = X / Y;
                    if ((X % Y != 0) && ((X < 0) != (Y < 0))) --q;
                    R = op == BinaryOp::FloorDiv ? q : X - q * Y;
                    break;
                }
                default: break;
            }
            if (R > std::numeric_limits<int64_t>::max() || R < std::numeric_limits<int64_t>::min()) {
                errs.push_back({cond, "OverflowError: integer result beyond 64 bits"});
                return SV::integer(ctx_.int_val(0));
            }
            return SV::integer(ctx_.int_val(static_cast<int64_t>(R)));
        }
        switch (op) {
            case BinaryOp::Add: return SV::integer(a + b);
            case BinaryOp::Sub: return SV::integer(a - b);
            case BinaryOp::Mul: return SV::integer(a * b);
            case BinaryOp::FloorDiv:
            case BinaryOp::Mod: {
                errs.push_back({cond && b == 0, "ZeroDivisionError: integer division or modulo by zero"});
                // Z3's div is Euclidean; Python floors: for b < 0, floor(a/b) = (-a) div (-b).
                z3::expr q = z3::ite(b > 0, a / b, (-a) / (-b));
                return SV::integer(op == BinaryOp::FloorDiv ? q : a - q * b);
            }
            default: break;
        }
        throw NotEncoded("an unknown operator");
    }

    static std::optional<int64_t> parse_python_int(const std::string& s) {
        auto is_space = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v'; };
        size_t i = 0, end = s.size();
        while (i < end && is_space(s[i])) ++i;
        while (end > i && is_space(s[end - 1])) --end;
        bool negative = false;
        if (i < end && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
        if (i >= end) return std::nullopt;
        __int128 value = 0;
        bool last_digit = false;
        for (size_t k = i; k < end; ++k) {
            char ch = s[k];
            if (ch == '_' && last_digit && k + 1 < end) { last_digit = false; continue; }
            if (ch < '0' || ch > '9') return std::nullopt;
            value = value * 10 + (ch - '0');
            if (value > (static_cast<__int128>(1) << 63)) return std::nullopt;
            last_digit = true;
        }
        if (!last_digit) return std::nullopt;
        return static_cast<int64_t>(negative ? -value : value);
    }

    SV eval(const Expr& expr, PathState& st, int instance, const z3::expr& cond, std::vector<ErrorCase>& errs) {
        return std::visit([&](const auto& n) { return eval_node(n, st, instance, cond, errs); }, expr.node);
    }

    SV eval_node(const Const& c, PathState&, int, const z3::expr&, std::vector<ErrorCase>&) { return from_value(c.value); }

    SV from_value(const Value& v) {
        if (v.is<int64_t>()) return SV::integer(ctx_.int_val(v.as<int64_t>()));
        if (v.is<bool>()) return SV::boolean(ctx_.bool_val(v.as<bool>()));
        if (v.is<std::string>()) return SV::str(v.as<std::string>());
        if (v.is<double>()) return SV::real(v.as<double>());
        if (v.is<ProcRef>()) { SV s; s.k = SV::K::Proc; s.ref = v.as<ProcRef>().instance; return s; }
        if (v.is<Pid>()) { SV s; s.k = SV::K::Pid; s.ref = v.as<Pid>().instance; return s; }
        if (v.is<FileHandle>()) { SV s; s.k = SV::K::File; s.ref = v.as<FileHandle>().open_index; return s; }
        if (v.is<List>()) {
            SV s; s.k = SV::K::List;
            for (const auto& item : v.as<List>()) s.items.push_back(from_value(item));
            return s;
        }
        return SV{};
    }

    SV eval_node(const Var& v, PathState& st, int, const z3::expr& cond, std::vector<ErrorCase>& errs) {
        const auto& slots = v.global ? st.globals : st.locals;
        if (v.slot < 0 || v.slot >= static_cast<int>(slots.size())) throw NotEncoded("internal: bad variable slot");
        const SV& value = slots[v.slot];
        if (value.k == SV::K::Unset) errs.push_back({cond, "UnboundLocalError: a variable was read before it was assigned"});
        return value;
    }

    SV eval_node(const Unary& u, PathState& st, int instance, const z3::expr& cond, std::vector<ErrorCase>& errs) {
        SV v = eval(*u.operand, st, instance, cond, errs);
        if (u.op == UnaryOp::Not) return SV::boolean(!truthy(v));
        if (v.k == SV::K::Float) return SV::real(-v.f);
        z3::expr x = int_of(v, cond, errs);
        int64_t n;
        if (numeral(x, n)) {
            if (n == std::numeric_limits<int64_t>::min()) {
                errs.push_back({cond, "OverflowError: integer result beyond 64 bits"});
                return SV::integer(ctx_.int_val(0));
            }
            return SV::integer(ctx_.int_val(-n));
        }
        return SV::integer(-x);
    }

    SV eval_node(const Binary& b, PathState& st, int instance, const z3::expr& cond, std::vector<ErrorCase>& errs) {
        if (b.op == BinaryOp::And || b.op == BinaryOp::Or) {
            SV left = eval(*b.left, st, instance, cond, errs);
            z3::expr decided = b.op == BinaryOp::And ? !truthy(left) : truthy(left);
            int t = truth(decided);
            if (t == 1) return left;
            if (t == 0) return eval(*b.right, st, instance, cond, errs);
            SV right = eval(*b.right, st, instance, cond && !decided, errs);
            return merge(decided, left, right);
        }
        SV l = eval(*b.left, st, instance, cond, errs);
        SV r = eval(*b.right, st, instance, cond, errs);
        switch (b.op) {
            case BinaryOp::Eq: return SV::boolean(equal(l, r, cond, errs));
            case BinaryOp::Ne: return SV::boolean(!equal(l, r, cond, errs));
            case BinaryOp::Lt: case BinaryOp::Le: case BinaryOp::Gt: case BinaryOp::Ge:
                return SV::boolean(compare(b.op, l, r, cond, errs));
            default: return arith(b.op, l, r, cond, errs);
        }
    }

    SV eval_node(const Call& c, PathState& st, int instance, const z3::expr& cond, std::vector<ErrorCase>& errs) {
        std::vector<SV> args;
        for (const auto& a : c.args) args.push_back(eval(*a, st, instance, cond, errs));
        switch (c.fn) {
            case Builtin::Int: {
                const SV& v = args.at(0);
                if (v.k == SV::K::Int) return v;
                if (v.k == SV::K::Bool) return SV::integer(int_of(v, cond, errs));
                if (v.k == SV::K::Float) {
                    double d = std::trunc(v.f);
                    if (!std::isfinite(d) || std::fabs(d) > 9.2e18) {
                        errs.push_back({cond, "OverflowError: cannot convert float to integer"});
                        return SV::integer(ctx_.int_val(0));
                    }
                    return SV::integer(ctx_.int_val(static_cast<int64_t>(d)));
                }
                if (v.k == SV::K::Str) {
                    auto n = parse_python_int(v.s);
                    if (!n) {
                        errs.push_back({cond, "ValueError: invalid literal for int() with base 10"});
                        return SV::integer(ctx_.int_val(0));
                    }
                    return SV::integer(ctx_.int_val(*n));
                }
                if (v.k == SV::K::Opaque) throw NotEncoded("int() of a symbolic string");
                errs.push_back({cond, "TypeError: int() argument must be a string or a number"});
                return SV::integer(ctx_.int_val(0));
            }
            case Builtin::Str: return str_of(args.at(0));
            case Builtin::Bool: return SV::boolean(truthy(args.at(0)));
            case Builtin::Len: {
                const SV& v = args.at(0);
                if (v.k == SV::K::Str) return SV::integer(ctx_.int_val(static_cast<int64_t>(v.s.size())));
                if (v.k == SV::K::List) return SV::integer(ctx_.int_val(static_cast<int64_t>(v.items.size())));
                if (v.k == SV::K::Opaque) throw NotEncoded("len() of a symbolic string");
                errs.push_back({cond, "TypeError: object has no len()"});
                return SV::integer(ctx_.int_val(0));
            }
            case Builtin::Abs: {
                const SV& v = args.at(0);
                if (v.k == SV::K::Float) return SV::real(std::fabs(v.f));
                z3::expr x = int_of(v, cond, errs);
                int64_t n;
                if (numeral(x, n)) {
                    if (n == std::numeric_limits<int64_t>::min()) {
                        errs.push_back({cond, "OverflowError: integer result beyond 64 bits"});
                        return SV::integer(ctx_.int_val(0));
                    }
                    return SV::integer(ctx_.int_val(n < 0 ? -n : n));
                }
                return SV::integer(z3::ite(x < 0, -x, x));
            }
            case Builtin::Min:
            case Builtin::Max: {
                SV best = args.at(0);
                for (size_t i = 1; i < args.size(); ++i) {
                    z3::expr less = compare(BinaryOp::Lt, args[i], best, cond, errs);
                    z3::expr take = c.fn == Builtin::Min ? less : !less;
                    best = merge(take, args[i], best);
                }
                return best;
            }
            case Builtin::Pid: { SV s; s.k = SV::K::Pid; s.ref = instance; return s; }
            case Builtin::ParentPid: { SV s; s.k = SV::K::Pid; s.ref = instance == 0 ? -1 : 0; return s; }
            case Builtin::CpuCount: return SV::integer(ctx_.int_val(static_cast<int64_t>(model::machine_cpu_count())));  // as MemoryWorld and real runs
        }
        throw NotEncoded("an unknown builtin");
    }

    SV eval_node(const FString& f, PathState& st, int instance, const z3::expr& cond, std::vector<ErrorCase>& errs) {
        std::string out;
        bool symbolic = false;
        for (const auto& part : f.parts) out += str_concrete(eval(*part, st, instance, cond, errs), symbolic);
        return symbolic ? SV::opaque() : SV::str(out);
    }

    SV eval_node(const ListOf& l, PathState& st, int instance, const z3::expr& cond, std::vector<ErrorCase>& errs) {
        SV out;
        out.k = SV::K::List;
        for (const auto& e : l.elements) out.items.push_back(eval(*e, st, instance, cond, errs));
        return out;
    }

    SV eval_node(const Subscript& s, PathState& st, int instance, const z3::expr& cond, std::vector<ErrorCase>& errs) {
        SV list = eval(*s.list, st, instance, cond, errs);
        z3::expr i = int_of(eval(*s.index, st, instance, cond, errs), cond, errs);
        if (list.k != SV::K::List) {
            errs.push_back({cond, "TypeError: not a list"});
            return SV::integer(ctx_.int_val(0));
        }
        int64_t n = static_cast<int64_t>(list.items.size());
        int64_t k;
        if (numeral(i, k)) {
            if (k < 0) k += n;
            if (k < 0 || k >= n) {
                errs.push_back({cond, "IndexError: list index out of range"});
                return SV::integer(ctx_.int_val(0));
            }
            return list.items[k];
        }
        errs.push_back({cond && (i < ctx_.int_val(-n) || i >= ctx_.int_val(n)), "IndexError: list index out of range"});
        z3::expr idx = z3::ite(i < 0, i + ctx_.int_val(n), i);
        if (n == 0) return SV::integer(ctx_.int_val(0));
        SV result = list.items[n - 1];
        for (int64_t j = n - 2; j >= 0; --j) result = merge(idx == ctx_.int_val(j), list.items[j], result);
        return result;
    }

    SV eval_node(const ParamOf& p, PathState& st, int instance, const z3::expr& cond, std::vector<ErrorCase>& errs) {
        SV proc = eval(*p.process, st, instance, cond, errs);
        if (proc.k != SV::K::Proc) throw NotEncoded("a process parameter of a symbolic process");
        for (const auto& c : st.created)
            if (c.instance == proc.ref) return c.args.at(p.param);
        throw NotEncoded("a parameter of a process this process did not create");
    }

    // ---- cells --------------------------------------------------------------------------

    z3::expr cell_of(const SharedObject& obj, const ExprPtr& index, PathState& st, int instance, const z3::expr& cond,
                     std::vector<ErrorCase>& errs) {
        if (!index) return ctx_.int_val(0);
        z3::expr i = int_of(eval(*index, st, instance, cond, errs), cond, errs);
        int64_t n = obj.cells(), k;
        if (numeral(i, k)) {
            if (k < 0) k += n;
            if (k < 0 || k >= n) {
                errs.push_back({cond, fmt::format("IndexError: index out of range for {} of length {}", obj.name, n)});
                return ctx_.int_val(0);
            }
            return ctx_.int_val(k);
        }
        errs.push_back({cond && (i < ctx_.int_val(-n) || i >= ctx_.int_val(n)), fmt::format("IndexError: index out of range for {} of length {}", obj.name, n)});
        return z3::ite(i < 0, i + ctx_.int_val(n), i);
    }

    z3::expr wrap(const Typecode& tc, const z3::expr& v) {
        int64_t n;
        if (numeral(v, n)) return ctx_.int_val(tc.wrap(n));
        if (tc.bits >= 64) return v;
        if (!wrap_stores_) return v;
        z3::expr lo = ctx_.int_val(tc.min()), hi = ctx_.int_val(tc.max());
        z3::expr span = ctx_.int_val(int64_t{1} << tc.bits);
        z3::expr wrapped = z3::mod(v - lo, span) + lo;
        return z3::ite(lo <= v && v <= hi, v, wrapped);
    }

    // ---- the walk ---------------------------------------------------------------------

    void assign(PathState& st, const Var& var, SV value) {
        auto& slots = var.global ? st.globals : st.locals;
        slots.at(var.slot) = std::move(value);
    }

    z3::expr draw_var(int instance, int index, int64_t low_hint) {
        for (const auto& d : enc_.draws)
            if (d.instance == instance && d.index == index) return d.var;
        z3::expr v = ctx_.int_const(fmt::format("in{}_{}", instance, index).c_str());
        enc_.draws.push_back({instance, index, v, low_hint});
        return v;
    }

    void run_instance(int instance, PathState init) {
        std::vector<PathState> work;
        work.push_back(std::move(init));
        while (!work.empty()) {
            PathState st = std::move(work.back());
            work.pop_back();
            run_path(instance, st, work);
        }
    }

    void run_path(int instance, PathState& st, std::vector<PathState>& work) {
        const ProcessTemplate& code = code_of(instance);
        std::vector<ErrorCase> errs;
        z3::expr T = ctx_.bool_val(true);
        while (true) {
            if (st.pc >= static_cast<int>(code.code.size())) {
                new_event(st, instance, EventKind::End, -1, false);
                return;
            }
            const int pc = st.pc;
            const Instr& instr = code.code[pc];
            const InstrNode& node = instr.node;
            if (++st.fuel > 2'000'000) throw NotEncoded("a loop ran 2,000,000 local iterations during symbolic execution");

            if (const auto* a = std::get_if<Assign>(&node)) {
                SV v = eval(*a->value, st, instance, T, errs);
                if (!flush(st, instance, pc, false, errs)) return;
                assign(st, a->target, std::move(v));
            } else if (const auto* d = std::get_if<Draw>(&node)) {
                z3::expr lo = int_of(eval(*d->low, st, instance, T, errs), T, errs);
                z3::expr hi = int_of(eval(*d->high, st, instance, T, errs), T, errs);
                errs.push_back({lo > hi, "ValueError: empty range in randint"});
                if (!flush(st, instance, pc, false, errs)) return;
                int64_t lo_n = 0;
                numeral(lo, lo_n);
                z3::expr v = draw_var(instance, st.draws++, lo_n);
                z3::expr range = lo <= v && v <= hi;
                enc_.side.push_back(truth(st.guard) == 1 ? range : z3::implies(st.guard, range));
                assign(st, d->target, SV::integer(v));
            } else if (const auto* c = std::get_if<Create>(&node)) {
                if (instance != 0) throw NotEncoded("a process created by a child");
                CreatedSym created;
                created.instance = static_cast<int>(st.created.size()) + 1;
                created.process = c->process;
                for (const auto& arg : c->args) created.args.push_back(eval(*arg, st, instance, T, errs));
                if (!flush(st, instance, pc, false, errs)) return;
                int ordinal = ++st.created_per_process.at(c->process);
                created.label = fmt::format("{}#{}", program_.processes.at(c->process).name, ordinal);
                if (created.instance < static_cast<int>(enc_.labels.size())) {
                    if (enc_.labels[created.instance] != created.label || enc_.template_of[created.instance] != c->process)
                        throw NotEncoded("main creates different processes on different paths");
                } else {
                    enc_.labels.push_back(created.label);
                    enc_.template_of.push_back(c->process);
                }
                SV ref;
                ref.k = SV::K::Proc;
                ref.ref = created.instance;
                st.created.push_back(std::move(created));
                assign(st, c->target, ref);
            } else if (const auto* ap = std::get_if<Append>(&node)) {
                SV v = eval(*ap->value, st, instance, T, errs);
                if (!flush(st, instance, pc, false, errs)) return;
                auto& slots = ap->list.global ? st.globals : st.locals;
                SV& list = slots.at(ap->list.slot);
                if (list.k != SV::K::List) { list = SV{}; list.k = SV::K::List; }
                list.items.push_back(std::move(v));
            } else if (const auto* b = std::get_if<Branch>(&node)) {
                SV cv = eval(*b->cond, st, instance, T, errs);
                if (!flush(st, instance, pc, false, errs)) return;
                z3::expr c = truthy(cv);
                int t = truth(c);
                if (t == 1) { ++st.pc; continue; }
                if (t == 0) { st.pc = b->if_false; continue; }
                PathState other = st;
                other.guard = st.guard && !c;
                other.pc = b->if_false;
                other.symbolic_branches++;
                work.push_back(std::move(other));
                st.guard = st.guard && c;
                st.symbolic_branches++;
                ++st.pc;
                continue;
            } else if (const auto* j = std::get_if<Jump>(&node)) {
                if (j->back_edge) {
                    auto [it, fresh] = st.loops.try_emplace(j->target, std::make_pair(st.symbolic_branches, 0));
                    auto& [seen, iterations] = it->second;
                    if (!fresh && seen != st.symbolic_branches) ++iterations;
                    if (fresh && st.symbolic_branches > 0) ++iterations;
                    seen = st.symbolic_branches;
                    if (iterations >= bound_) {
                        new_event(st, instance, EventKind::Cut, pc, false);
                        enc_.bounded = true;
                        return;
                    }
                }
                st.pc = j->target;
                continue;
            } else {
                if (!step(instance, st, instr, pc, errs)) return;
            }
            ++st.pc;
        }
    }

    CreatedSym* created_of(PathState& st, const SV& proc, const char* what) {
        if (proc.k != SV::K::Proc) throw NotEncoded(fmt::format("{}() of a symbolic process", what));
        for (auto& x : st.created)
            if (x.instance == proc.ref) return &x;
        throw NotEncoded(fmt::format("{}() of a process another process created", what));
    }

    // One atomic step. Returns false when the path ends here.
    bool step(int instance, PathState& st, const Instr& instr, int pc, std::vector<ErrorCase>& errs) {
        z3::expr T = ctx_.bool_val(true);
        const InstrNode& node = instr.node;
        if (const auto* l = std::get_if<Load>(&node)) {
            const SharedObject& obj = program_.objects.at(l->object);
            z3::expr cell = cell_of(obj, l->index, st, instance, T, errs);
            if (!flush(st, instance, pc, true, errs)) return false;
            int id = new_event(st, instance, EventKind::Load, pc, true);
            Event& e = enc_.events[id];
            e.object = l->object;
            e.cell = cell;
            z3::expr v = ctx_.int_const(fmt::format("v{}_{}", instance, id).c_str());
            e.value = v;
            enc_.side.push_back(ctx_.int_val(obj.typecode.min()) <= v && v <= ctx_.int_val(obj.typecode.max()));
            st.load_at_pc[pc] = id;
            assign(st, l->target, SV::integer(v));
            return true;
        }
        if (const auto* s = std::get_if<Store>(&node)) {
            const SharedObject& obj = program_.objects.at(s->object);
            z3::expr cell = cell_of(obj, s->index, st, instance, T, errs);
            SV v = eval(*s->value, st, instance, T, errs);
            z3::expr x = int_of(v, T, errs);
            if (!flush(st, instance, pc, true, errs)) return false;
            int id = new_event(st, instance, EventKind::Store, pc, true);
            Event& e = enc_.events[id];
            e.object = s->object;
            e.cell = cell;
            e.value = wrap(obj.typecode, x);
            e.raw = x;
            for (int from : s->read_from) {
                auto it = st.load_at_pc.find(from);
                if (it != st.load_at_pc.end()) e.read_from.push_back(it->second);
            }
            return true;
        }
        if (const auto* a = std::get_if<Acquire>(&node)) {
            const SharedObject& obj = program_.objects.at(a->object);
            if (obj.kind == ObjectKind::Semaphore) {
                object_event(st, instance, EventKind::Wait, pc, a->object);
            } else {
                int& depth = st.lock_depth[a->object];
                if (depth > 0 && !obj.recursive) {
                    object_event(st, instance, EventKind::SelfDeadlock, pc, a->object);
                    return false;  // blocked forever: nothing after it can run
                }
                int id = object_event(st, instance, depth > 0 ? EventKind::Reacquire : EventKind::Acquire, pc, a->object);
                if (depth == 0) {
                    enc_.intervals.push_back({a->object, instance, id, {}});
                    st.open_interval[a->object] = static_cast<int>(enc_.intervals.size()) - 1;
                }
                ++depth;
            }
            if (a->by_with) st.held_with.push_back(a->object);
            return true;
        }
        if (const auto* r = std::get_if<Release>(&node)) {
            const SharedObject& obj = program_.objects.at(r->object);
            if (obj.kind == ObjectKind::Semaphore) {
                object_event(st, instance, EventKind::Signal, pc, r->object);
            } else {
                int& depth = st.lock_depth[r->object];
                if (depth == 0) {
                    // Not held by this process: an error whoever holds it.
                    fail(st, instance, pc, true, T, fmt::format("release of {}, which this process does not hold", obj.name));
                    return false;
                }
                int id = object_event(st, instance, EventKind::Release, pc, r->object);
                if (--depth == 0) {
                    enc_.intervals[st.open_interval.at(r->object)].ends.push_back(id);
                    st.open_interval.erase(r->object);
                }
            }
            if (r->by_with && !st.held_with.empty()) st.held_with.pop_back();
            return true;
        }
        if (std::holds_alternative<FileOpen>(node) || std::holds_alternative<FileRead>(node) ||
            std::holds_alternative<FileReadline>(node) || std::holds_alternative<FileWrite>(node) ||
            std::holds_alternative<FileSeek>(node) || std::holds_alternative<FileClose>(node))
            throw NotEncoded("files are not encoded by the Z3 engine yet");
        if (const auto* p = std::get_if<Print>(&node)) {
            SV text = eval(*p->text, st, instance, T, errs);
            if (!flush(st, instance, pc, true, errs)) return false;
            new_event(st, instance, EventKind::Other, pc, true);
            return true;
        }
        if (const auto* s = std::get_if<Sleep>(&node)) {
            SV v = eval(*s->seconds, st, instance, T, errs);
            if (v.k == SV::K::Float) {
                if (v.f < 0) errs.push_back({T, "ValueError: sleep length must be non-negative"});
            } else {
                errs.push_back({int_of(v, T, errs) < 0, "ValueError: sleep length must be non-negative"});
            }
            if (!flush(st, instance, pc, true, errs)) return false;
            new_event(st, instance, EventKind::Other, pc, true);
            return true;
        }
        if (const auto* a = std::get_if<AssertStep>(&node)) {
            SV cv = eval(*a->cond, st, instance, T, errs);
            z3::expr holds = truthy(cv);
            if (!flush(st, instance, pc, true, errs)) return false;
            std::string message = "AssertionError";
            if (a->message) {
                std::vector<ErrorCase> ignored;
                SV m = eval(*a->message, st, instance, T, ignored);
                bool symbolic = false;
                std::string text = str_concrete(m, symbolic);
                if (!text.empty() || symbolic) message += ": " + (symbolic ? std::string("<computed>") : text);
            }
            if (!fail(st, instance, pc, true, !holds, message, true, a->assert_id)) return false;
            new_event(st, instance, EventKind::Other, pc, true);
            return true;
        }
        if (const auto* s = std::get_if<Start>(&node)) {
            SV proc = eval(*s->process, st, instance, T, errs);
            if (!flush(st, instance, pc, true, errs)) return false;
            CreatedSym* c = created_of(st, proc, "start");
            if (c->started) {
                fail(st, instance, pc, true, T, "AssertionError: cannot start a process twice");
                return false;
            }
            c->started = true;
            int id = new_event(st, instance, EventKind::Start, pc, true);
            enc_.events[id].target = c->instance;
            if (child_init_.count(c->instance)) throw NotEncoded("a process started on more than one path of main");
            PathState child(ctx_);
            const ProcessTemplate& t = program_.processes.at(c->process);
            child.locals.resize(t.local_names.size());
            for (size_t i = 0; i < c->args.size(); ++i) child.locals[i] = c->args[i];
            child.globals = st.globals;
            child.last = id;
            child_init_.emplace(c->instance, std::move(child));
            return true;
        }
        if (const auto* j = std::get_if<Join>(&node)) {
            SV proc = eval(*j->process, st, instance, T, errs);
            if (!flush(st, instance, pc, true, errs)) return false;
            CreatedSym* c = created_of(st, proc, "join");
            if (!c->started) {
                fail(st, instance, pc, true, T, "AssertionError: can only join a started process");
                return false;
            }
            c->joined = true;
            int id = new_event(st, instance, EventKind::Join, pc, true);
            enc_.events[id].target = c->instance;
            return true;
        }
        throw NotEncoded("an unknown step");
    }

    z3::context& ctx_;
    const Program& program_;
    int bound_;
    bool wrap_stores_;
    Encoding& enc_;
    std::map<int, PathState> child_init_;
    int wraps_ = 0;
};

z3::expr any(z3::context& ctx, const std::vector<z3::expr>& xs) {
    if (xs.empty()) return ctx.bool_val(false);
    if (xs.size() == 1) return xs[0];
    z3::expr_vector v(ctx);
    for (const auto& x : xs) v.push_back(x);
    return z3::mk_or(v);
}

z3::expr all(z3::context& ctx, const std::vector<z3::expr>& xs) {
    if (xs.empty()) return ctx.bool_val(true);
    if (xs.size() == 1) return xs[0];
    z3::expr_vector v(ctx);
    for (const auto& x : xs) v.push_back(x);
    return z3::mk_and(v);
}

z3::expr sum(z3::context& ctx, const std::vector<z3::expr>& xs) {
    if (xs.empty()) return ctx.int_val(0);
    z3::expr_vector v(ctx);
    for (const auto& x : xs) v.push_back(x);
    return z3::sum(v);
}

}  // namespace

Encoding encode(z3::context& ctx, const model::Program& program, int bound, bool wrap_stores) {
    Encoding enc(ctx);
    enc.wrapped = wrap_stores;
    Executor(ctx, program, bound, wrap_stores, enc).run();
    return enc;
}

z3::expr Encoding::finished(int instance) const {
    std::vector<z3::expr> xs;
    for (int id : events_of.at(instance)) {
        const Event& e = events[id];
        if (e.kind == EventKind::End || e.kind == EventKind::Fail) xs.push_back(e.exec);
    }
    return any(*ctx, xs);
}

z3::expr Encoding::finished_before(int instance, const z3::expr& t) const {
    std::vector<z3::expr> xs;
    for (int id : events_of.at(instance)) {
        const Event& e = events[id];
        if (e.kind == EventKind::End || e.kind == EventKind::Fail) xs.push_back(e.exec && e.t < t);
    }
    return any(*ctx, xs);
}

static bool ancestor(const Encoding& enc, int maybe, int of) {
    for (int p = enc.events[of].pred; p >= 0; p = enc.events[p].pred) {
        if (p == maybe) return true;
        if (enc.events[p].instance != enc.events[of].instance) return false;
    }
    return false;
}

static z3::expr cell_match(const Event& a, const Event& b) {
    int64_t x, y;
    if (numeral(*a.cell, x) && numeral(*b.cell, y)) return a.cell->ctx().bool_val(x == y);
    return *a.cell == *b.cell;
}

static z3::expr initial_of(const Encoding& enc, int object, const z3::expr& cell) {
    const auto& init = enc.program->objects.at(object).initial;
    z3::context& ctx = *enc.ctx;
    int64_t k;
    if (numeral(cell, k)) return ctx.int_val(k >= 0 && k < static_cast<int64_t>(init.size()) ? init[k] : 0);
    z3::expr out = ctx.int_val(init.empty() ? 0 : init.back());
    for (int i = static_cast<int>(init.size()) - 2; i >= 0; --i) out = z3::ite(cell == i, ctx.int_val(init[i]), out);
    return out;
}

std::vector<z3::expr> Encoding::constraints(bool with_values) const {
    z3::context& c = *ctx;
    std::vector<z3::expr> out;
    if (with_values) out = side;
    std::vector<int> loads, stores, waits, signals, joins;
    for (const Event& e : events) {
        if (with_values && truth(e.guard) != 1) out.push_back(z3::implies(e.exec, e.guard));
        if (e.pred >= 0) {
            out.push_back(z3::implies(e.exec, events[e.pred].exec));
            out.push_back(e.t > events[e.pred].t);
        }
        switch (e.kind) {
            case EventKind::SelfDeadlock: out.push_back(!e.exec); break;
            case EventKind::Load: loads.push_back(e.id); break;
            case EventKind::Store: stores.push_back(e.id); break;
            case EventKind::Wait: waits.push_back(e.id); break;
            case EventKind::Signal: signals.push_back(e.id); break;
            case EventKind::Join: joins.push_back(e.id); break;
            case EventKind::Fail: if (!e.signals.empty()) signals.push_back(e.id); break;
            default: break;
        }
    }
    // Stores of one object by different processes happen at different times.
    for (size_t i = 0; i < stores.size(); ++i)
        for (size_t j = i + 1; j < stores.size(); ++j) {
            const Event& a = events[stores[i]];
            const Event& b = events[stores[j]];
            if (a.object == b.object && a.instance != b.instance) out.push_back(a.t != b.t);
        }
    // Reads-from: each executed load sees the latest executed store of its cell, or the initial value.
    for (int l : with_values ? loads : std::vector<int>{}) {
        const Event& L = events[l];
        std::vector<int> cands;
        for (int s : stores) {
            const Event& S = events[s];
            if (S.object != L.object) continue;
            if (S.instance == L.instance && !ancestor(*this, s, l)) continue;
            cands.push_back(s);
            if (S.instance != L.instance) out.push_back(S.t != L.t);
        }
        std::vector<z3::expr> before;
        for (int s : cands) {
            const Event& S = events[s];
            before.push_back(S.exec && cell_match(S, L) && S.t < L.t);
        }
        for (size_t i = 0; i < cands.size(); ++i) {
            const Event& S = events[cands[i]];
            std::vector<z3::expr> later;
            for (size_t j = 0; j < cands.size(); ++j)
                if (j != i) later.push_back(before[j] && S.t < events[cands[j]].t);
            out.push_back(z3::implies(L.exec && before[i] && !any(c, later), *L.value == *S.value));
        }
        std::vector<z3::expr> none;
        for (auto& b : before) none.push_back(!b);
        out.push_back(z3::implies(L.exec && all(c, none), *L.value == initial_of(*this, L.object, *L.cell)));
    }
    // Critical sections of one lock never overlap.
    auto ends_before = [&](const Interval& I, const z3::expr& t) {
        std::vector<z3::expr> xs;
        for (int e : I.ends) xs.push_back(events[e].exec && events[e].t < t);
        return any(c, xs);
    };
    for (size_t i = 0; i < intervals.size(); ++i)
        for (size_t j = i + 1; j < intervals.size(); ++j) {
            const Interval& I = intervals[i];
            const Interval& J = intervals[j];
            if (I.object != J.object || I.instance == J.instance) continue;
            const Event& A = events[I.acquire];
            const Event& B = events[J.acquire];
            out.push_back(z3::implies(A.exec && B.exec, ends_before(I, B.t) || ends_before(J, A.t)));
        }
    // Semaphores: a wait needs a positive count.
    for (int w : waits) {
        const Event& W = events[w];
        const SharedObject& obj = program->objects.at(W.object);
        std::vector<z3::expr> terms{c.int_val(obj.semaphore_initial)};
        for (int s : signals) {
            const Event& S = events[s];
            int times = 0;
            if (S.kind == EventKind::Signal) times = S.object == W.object;
            else for (int o : S.signals) times += o == W.object;
            if (times && S.instance != W.instance) out.push_back(S.t != W.t);
            if (times) terms.push_back(z3::ite(S.exec && S.t < W.t, c.int_val(times), c.int_val(0)));
        }
        for (int w2 : waits) {
            const Event& V = events[w2];
            if (w2 == w || V.object != W.object) continue;
            if (V.instance != W.instance) out.push_back(V.t != W.t);
            terms.push_back(z3::ite(V.exec && V.t < W.t, c.int_val(-1), c.int_val(0)));
        }
        out.push_back(z3::implies(W.exec, sum(c, terms) >= 1));
    }
    // Join waits for the end of the process.
    for (int j : joins) {
        const Event& J = events[j];
        out.push_back(z3::implies(J.exec, finished_before(J.target, J.t)));
    }
    return out;
}

z3::expr Encoding::held_at_end(int object) const {
    std::vector<z3::expr> xs;
    for (const Interval& I : intervals) {
        if (I.object != object) continue;
        std::vector<z3::expr> open{events[I.acquire].exec};
        for (int e : I.ends) open.push_back(!events[e].exec);
        xs.push_back(all(*ctx, open));
    }
    return any(*ctx, xs);
}

z3::expr Encoding::terminal() const {
    z3::context& c = *ctx;
    std::vector<z3::expr> out;
    for (const Event& e : events) {
        z3::expr next = e.pred >= 0 ? e.guard && events[e.pred].exec && !e.exec : e.guard && !e.exec;
        switch (e.kind) {
            case EventKind::SelfDeadlock: break;
            case EventKind::Acquire: out.push_back(z3::implies(next, held_at_end(e.object))); break;
            case EventKind::Wait: {
                const SharedObject& obj = program->objects.at(e.object);
                std::vector<z3::expr> terms{c.int_val(obj.semaphore_initial)};
                for (const Event& s : events) {
                    if (s.kind == EventKind::Signal && s.object == e.object) terms.push_back(z3::ite(s.exec, c.int_val(1), c.int_val(0)));
                    if (s.kind == EventKind::Wait && s.object == e.object) terms.push_back(z3::ite(s.exec, c.int_val(-1), c.int_val(0)));
                    if (s.kind == EventKind::Fail)
                        for (int o : s.signals)
                            if (o == e.object) terms.push_back(z3::ite(s.exec, c.int_val(1), c.int_val(0)));
                }
                out.push_back(z3::implies(next, sum(c, terms) <= 0));
                break;
            }
            case EventKind::Join: out.push_back(z3::implies(next, !finished(e.target))); break;
            default: out.push_back(!next); break;
        }
    }
    return all(c, out);
}

z3::expr Encoding::deadlock() const {
    std::vector<z3::expr> stuck{!finished(0)};
    for (const Event& e : events)
        if (e.kind == EventKind::Start) stuck.push_back(e.exec && !finished(e.target));
    return terminal() && any(*ctx, stuck);
}

std::vector<std::vector<z3::expr>> Encoding::final_cells() const {
    z3::context& c = *ctx;
    std::vector<std::vector<z3::expr>> out(program->objects.size());
    for (size_t o = 0; o < program->objects.size(); ++o) {
        const SharedObject& obj = program->objects[o];
        if (obj.kind != ObjectKind::Value && obj.kind != ObjectKind::Array) continue;
        std::vector<int> stores;
        for (const Event& e : events)
            if (e.kind == EventKind::Store && e.object == static_cast<int>(o)) stores.push_back(e.id);
        for (int k = 0; k < obj.cells(); ++k) {
            z3::expr value = c.int_val(obj.initial[k]);
            for (int s : stores) {
                const Event& S = events[s];
                std::vector<z3::expr> later;
                for (int s2 : stores)
                    if (s2 != s) later.push_back(events[s2].exec && *events[s2].cell == k && events[s2].t > S.t);
                value = z3::ite(S.exec && *S.cell == k && !any(c, later), *S.value, value);
            }
            out[o].push_back(value.simplify());
        }
    }
    return out;
}

z3::expr Encoding::serial() const {
    z3::context& c = *ctx;
    std::vector<z3::expr> out;
    std::vector<z3::expr> lo, hi;
    for (int i = 1; i < instances; ++i) {
        lo.push_back(c.int_const(fmt::format("serial_lo{}", i).c_str()));
        hi.push_back(c.int_const(fmt::format("serial_hi{}", i).c_str()));
        for (int id : events_of[i]) {
            const Event& e = events[id];
            if (!e.is_step) continue;
            out.push_back(z3::implies(e.exec, lo.back() <= e.t && e.t <= hi.back()));
        }
    }
    for (size_t i = 0; i < lo.size(); ++i)
        for (size_t j = i + 1; j < lo.size(); ++j) out.push_back(hi[i] < lo[j] || hi[j] < lo[i]);
    return all(c, out);
}

z3::expr Encoding::overflow() const {
    std::vector<z3::expr> xs;
    for (const Event& e : events) {
        if (e.kind != EventKind::Store || !e.raw) continue;
        const Typecode& tc = program->objects.at(e.object).typecode;
        if (tc.bits >= 64) continue;
        int64_t n;
        if (numeral(*e.raw, n) && tc.wrap(n) == n) continue;
        xs.push_back(e.exec && (*e.raw < ctx->int_val(tc.min()) || *e.raw > ctx->int_val(tc.max())));
    }
    return any(*ctx, xs);
}

z3::expr Encoding::lost_update(int store, int load, int other_store) const {
    const Event& S = events[store];
    const Event& L = events[load];
    const Event& O = events[other_store];
    return S.exec && O.exec && L.t < O.t && O.t < S.t && cell_match(O, L) && cell_match(S, L);
}

}  // namespace critsec::checker
