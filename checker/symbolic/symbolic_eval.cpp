#include "checker/symbolic/symbolic_eval.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "model/cpu_count.hpp"
#include "model/python_errors.hpp"
#include "model/python_numbers.hpp"
#include "model/semantics.hpp"
#include "model/value_sizes.hpp"

namespace critsec::checker {

using namespace critsec::model;
using SV = SymbolicValue;

namespace {

bool numeric(const SV& v) { return v.k == SV::K::Int || v.k == SV::K::Bool || v.k == SV::K::Float; }

bool order_holds(BinaryOp op, int c) {
    switch (op) {
        case BinaryOp::Lt: return c < 0;
        case BinaryOp::Le: return c <= 0;
        case BinaryOp::Gt: return c > 0;
        default: return c >= 0;
    }
}

// A list's bytes as model::value_bytes counts them. A string computed from
// symbolic terms (Opaque) counts as empty: it holds a number's digits at most,
// so only a list within a few bytes of the cap could fail in a run and not here.
size_t list_bytes(const SV& v) {
    if (v.k == SV::K::Str) return v.s.size();
    if (v.k != SV::K::List) return v.k == SV::K::Opaque ? 0 : kListItemBytes;
    size_t total = 0;
    for (const SV& item : v.items) total += kListItemBytes + list_bytes(item);
    return total;
}

}  // namespace

SV SymbolicEvaluator::eval(const Expr& expr, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    return std::visit([&](const auto& n) { return eval_node(n, env, cond, errs); }, expr.node);
}

SV SymbolicEvaluator::from_value(const Value& v) {
    if (v.is<int64_t>()) return SV::integer(ctx_.int_val(v.as<int64_t>()));
    if (v.is<bool>()) return SV::boolean(ctx_.bool_val(v.as<bool>()));
    if (v.is<std::string>()) return SV::str(v.as<std::string>());
    if (v.is<double>()) return SV::real(v.as<double>());
    if (v.is<ProcRef>()) return SV::process(v.as<ProcRef>().instance);
    if (v.is<Pid>()) return SV::pid(v.as<Pid>().instance);
    if (v.is<FileHandle>()) return SV::file(v.as<FileHandle>().open_index);
    if (v.is<List>()) {
        SV s = SV::list();
        for (const auto& item : v.as<List>()) s.items.push_back(from_value(item));
        return s;
    }
    return SV{};
}

z3::expr SymbolicEvaluator::int_of(const SV& v, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    if (v.k == SV::K::Int) return *v.e;
    if (!options_.mixed_kinds) throw NotEncoded("a value that is not an int where an int is needed");
    if (v.k == SV::K::Bool) return z3::ite(*v.e, ctx_.int_val(1), ctx_.int_val(0));
    if (v.k == SV::K::Opaque) throw NotEncoded("an integer computed from a symbolic string or float");
    errs.push_back({cond, errors::integer_expected()});
    return ctx_.int_val(0);
}

z3::expr SymbolicEvaluator::truthy(const SV& v) {
    switch (v.k) {
        case SV::K::Bool: return *v.e;
        case SV::K::Int: return *v.e != 0;
        case SV::K::List: return ctx_.bool_val(!v.items.empty());
        case SV::K::Proc: return ctx_.bool_val(true);
        default: break;
    }
    if (!options_.mixed_kinds) throw NotEncoded("the truth of a value other than an int, bool or list");
    switch (v.k) {
        case SV::K::Str: return ctx_.bool_val(!v.s.empty());
        case SV::K::Float: return ctx_.bool_val(v.f != 0.0);
        case SV::K::Opaque: throw NotEncoded("the truth of a symbolic string or float");
        default: return ctx_.bool_val(true);
    }
}

std::optional<double> SymbolicEvaluator::number(const SV& v) {
    int64_t n;
    if (v.k == SV::K::Float) return v.f;
    if (v.k == SV::K::Int && numeral(*v.e, n)) return static_cast<double>(n);
    if (v.k == SV::K::Bool && truth(*v.e) >= 0) return truth(*v.e) == 1 ? 1.0 : 0.0;
    return std::nullopt;
}

std::string SymbolicEvaluator::str_concrete(const SV& v, const EvalEnv& env, bool& symbolic) {
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
        case SV::K::Proc: return "<Process " + env.pid_name(v.ref) + ">";
        case SV::K::Pid: return env.pid_name(v.ref);
        case SV::K::File: return "<file>";
        case SV::K::List: {
            std::string out = "[";
            for (size_t i = 0; i < v.items.size(); ++i) {
                if (i) out += ", ";
                if (v.items[i].k == SV::K::Str) out += "'" + v.items[i].s + "'";
                else out += str_concrete(v.items[i], env, symbolic);
            }
            return out + "]";
        }
    }
    return "";
}

SV SymbolicEvaluator::str_of(const SV& v, const EvalEnv& env) {
    bool symbolic = false;
    std::string s = str_concrete(v, env, symbolic);
    return symbolic ? SV::opaque() : SV::str(s);
}

z3::expr SymbolicEvaluator::equal(const SV& l, const SV& r, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    if (!options_.mixed_kinds) {
        bool same = l.k == r.k && (l.k == SV::K::Int || l.k == SV::K::Bool || l.k == SV::K::Str || l.k == SV::K::Proc);
        if (!same) throw NotEncoded("a comparison of values of different or unsupported kinds");
        if (l.k == SV::K::Bool) return *l.e == *r.e;
    }
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
        case SV::K::Proc:
        case SV::K::Pid:
        case SV::K::File: return ctx_.bool_val(l.ref == r.ref);
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

z3::expr SymbolicEvaluator::compare(BinaryOp op, const SV& l, const SV& r, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    if (l.k == SV::K::Str && r.k == SV::K::Str && options_.mixed_kinds) return ctx_.bool_val(order_holds(op, l.s.compare(r.s)));
    if ((l.k == SV::K::Float || r.k == SV::K::Float) && options_.mixed_kinds) {
        auto a = number(l), b = number(r);
        if (!a || !b) throw NotEncoded("comparing a float with a symbolic value");
        return ctx_.bool_val(order_holds(op, *a < *b ? -1 : *a > *b ? 1 : 0));
    }
    z3::expr a = int_of(l, cond, errs), b = int_of(r, cond, errs);
    switch (op) {
        case BinaryOp::Lt: return a < b;
        case BinaryOp::Le: return a <= b;
        case BinaryOp::Gt: return a > b;
        default: return a >= b;
    }
}

SV SymbolicEvaluator::merge(const z3::expr& take_left, const SV& l, const SV& r) {
    int t = truth(take_left);
    if (t == 1) return l;
    if (t == 0) return r;
    if (l.k == SV::K::Bool && r.k == SV::K::Bool) return SV::boolean(z3::ite(take_left, *l.e, *r.e));
    if (l.k == SV::K::Int && r.k == SV::K::Int) return SV::integer(z3::ite(take_left, *l.e, *r.e));
    throw NotEncoded("`and`/`or` choosing between values of different kinds on a symbolic condition");
}

SV SymbolicEvaluator::int_or_error(int64_t value, const std::string& error, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    if (!error.empty()) {
        errs.push_back({cond, error});
        return SV::integer(ctx_.int_val(0));
    }
    return SV::integer(ctx_.int_val(value));
}

SV SymbolicEvaluator::checked(const z3::expr& result, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    if (!bounds_of(result, ranges_)) {
        z3::expr beyond =
            result < ctx_.int_val(std::numeric_limits<int64_t>::min()) || result > ctx_.int_val(std::numeric_limits<int64_t>::max());
        errs.push_back({cond && beyond, errors::integer_overflow()});
    }
    return SV::integer(result);
}

SV SymbolicEvaluator::string_arith(BinaryOp op, const SV& l, const SV& r, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    if (!options_.mixed_kinds) throw NotEncoded("a value that is not an int where an int is needed");
    if (op == BinaryOp::Add && l.k == SV::K::Str && r.k == SV::K::Str) {
        if (auto error = string_size_error(l.s.size() + r.s.size())) {
            errs.push_back({cond, *error});
            return SV::str("");
        }
        return SV::str(l.s + r.s);
    }
    if (op == BinaryOp::Add && (l.k == SV::K::Str || l.k == SV::K::Opaque) && (r.k == SV::K::Str || r.k == SV::K::Opaque))
        return SV::opaque();
    if (op == BinaryOp::Mul && (l.k == SV::K::Str || r.k == SV::K::Str)) {
        const SV& s = l.k == SV::K::Str ? l : r;
        const SV& n = l.k == SV::K::Str ? r : l;
        int64_t count;
        if (n.k == SV::K::Int && numeral(*n.e, count)) {
            if (auto error = repeated_string_size_error(s.s.size(), count)) {
                errs.push_back({cond, *error});
                return SV::str("");
            }
            std::string out;
            for (int64_t i = 0; i < count; ++i) out += s.s;
            return SV::str(out);
        }
        return SV::opaque();
    }
    if (l.k == SV::K::Opaque || r.k == SV::K::Opaque) throw NotEncoded("arithmetic on a symbolic string");
    errs.push_back({cond, errors::string_operand_types()});
    return SV::str("");
}

SV SymbolicEvaluator::float_arith(BinaryOp op, const SV& l, const SV& r, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    auto x = number(l), y = number(r);
    if (!x || !y) {
        // Symbolic float: only its printing is modelled; the division by zero is.
        if (r.k == SV::K::Int || r.k == SV::K::Bool) errs.push_back({cond && int_of(r, cond, errs) == 0, errors::division_by_zero()});
        return SV::opaque();
    }
    FloatOrError out;
    switch (op) {
        case BinaryOp::Add: out.value = *x + *y; break;
        case BinaryOp::Sub: out.value = *x - *y; break;
        case BinaryOp::Mul: out.value = *x * *y; break;
        case BinaryOp::Div: out = float_div(*x, *y); break;
        case BinaryOp::FloorDiv: out = float_floor_div(*x, *y); break;
        case BinaryOp::Mod: out = float_mod(*x, *y); break;
        default: throw NotEncoded("an unknown operator");
    }
    if (!out.ok()) errs.push_back({cond, out.error});
    return SV::real(out.ok() ? out.value : 0);
}

SV SymbolicEvaluator::int_arith(BinaryOp op, const z3::expr& a, const z3::expr& b, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    int64_t x, y;
    if (numeral(a, x) && numeral(b, y)) {
        IntOrError r;
        switch (op) {
            case BinaryOp::Add: r = int_add(x, y); break;
            case BinaryOp::Sub: r = int_sub(x, y); break;
            case BinaryOp::Mul: r = int_mul(x, y); break;
            case BinaryOp::FloorDiv: r = int_floor_div(x, y); break;
            case BinaryOp::Mod: r = int_mod(x, y); break;
            default: throw NotEncoded("an unknown operator");
        }
        return int_or_error(r.value, r.error, cond, errs);
    }
    switch (op) {
        case BinaryOp::Add: return checked(a + b, cond, errs);
        case BinaryOp::Sub: return checked(a - b, cond, errs);
        case BinaryOp::Mul: return checked(a * b, cond, errs);
        case BinaryOp::FloorDiv:
        case BinaryOp::Mod: {
            errs.push_back({cond && b == 0, errors::integer_division_by_zero()});
            // Z3's div is Euclidean; Python floors: for b < 0, floor(a/b) = (-a) div (-b).
            z3::expr q = z3::ite(b > 0, a / b, (-a) / (-b));
            // Only INT64_MIN // -1 leaves 64 bits; a remainder never does.
            if (op == BinaryOp::FloorDiv) return checked(q, cond && b != 0, errs);
            return SV::integer(a - q * b);
        }
        default: break;
    }
    throw NotEncoded("an unknown operator");
}

SV SymbolicEvaluator::arith(BinaryOp op, const SV& l, const SV& r, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    if ((op == BinaryOp::FloorDiv || op == BinaryOp::Mod) && !options_.floor_division)
        throw NotEncoded("division or modulo (zero divisors and floor semantics are not modelled)");
    if (l.k == SV::K::Str || r.k == SV::K::Str || l.k == SV::K::Opaque || r.k == SV::K::Opaque) return string_arith(op, l, r, cond, errs);
    if (op == BinaryOp::Div || l.k == SV::K::Float || r.k == SV::K::Float) {
        if (!options_.mixed_kinds && (op != BinaryOp::Div || l.k != SV::K::Int || r.k != SV::K::Int))
            throw NotEncoded("arithmetic on a float");
        return float_arith(op, l, r, cond, errs);
    }
    return int_arith(op, int_of(l, cond, errs), int_of(r, cond, errs), cond, errs);
}

SV SymbolicEvaluator::negate(const SV& v, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    if (v.k == SV::K::Float && options_.mixed_kinds) return SV::real(-v.f);
    z3::expr x = int_of(v, cond, errs);
    int64_t n;
    if (numeral(x, n)) {
        IntOrError r = int_neg(n);
        return int_or_error(r.value, r.error, cond, errs);
    }
    return checked(-x, cond, errs);
}

SV SymbolicEvaluator::eval_node(const Const& c, const EvalEnv&, const z3::expr&, std::vector<ErrorCase>&) { return from_value(c.value); }

SV SymbolicEvaluator::eval_node(const Var& v, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    const auto* slots = v.global ? env.globals : env.locals;
    if (!slots || v.slot < 0 || v.slot >= static_cast<int>(slots->size())) throw NotEncoded("internal: bad variable slot");
    const SV& value = (*slots)[v.slot];
    if (value.k == SV::K::Unset) errs.push_back({cond, errors::unbound_variable()});
    return value;
}

SV SymbolicEvaluator::eval_node(const Unary& u, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    SV v = eval(*u.operand, env, cond, errs);
    if (u.op == UnaryOp::Not) return SV::boolean(!truthy(v));
    return negate(v, cond, errs);
}

SV SymbolicEvaluator::eval_node(const Binary& b, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    if (b.op == BinaryOp::And || b.op == BinaryOp::Or) {
        SV left = eval(*b.left, env, cond, errs);
        if (!options_.mixed_kinds && left.k != SV::K::Bool) throw NotEncoded("and/or over non-bools");
        z3::expr decided = b.op == BinaryOp::And ? !truthy(left) : truthy(left);
        int t = truth(decided);
        if (t == 1) return left;
        if (t == 0) return eval(*b.right, env, cond, errs);
        SV right = eval(*b.right, env, cond && !decided, errs);
        if (!options_.mixed_kinds && right.k != SV::K::Bool) throw NotEncoded("and/or over non-bools");
        return merge(decided, left, right);
    }
    SV l = eval(*b.left, env, cond, errs);
    SV r = eval(*b.right, env, cond, errs);
    switch (b.op) {
        case BinaryOp::Eq: return SV::boolean(equal(l, r, cond, errs));
        case BinaryOp::Ne: return SV::boolean(!equal(l, r, cond, errs));
        case BinaryOp::Lt:
        case BinaryOp::Le:
        case BinaryOp::Gt:
        case BinaryOp::Ge: return SV::boolean(compare(b.op, l, r, cond, errs));
        default: return arith(b.op, l, r, cond, errs);
    }
}

SV SymbolicEvaluator::int_call(const SV& v, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    if (v.k == SV::K::Int) return v;
    if (!options_.mixed_kinds) throw NotEncoded("int() of a value that is not an int");
    if (v.k == SV::K::Bool) return SV::integer(int_of(v, cond, errs));
    if (v.k == SV::K::Float) {
        IntOrError r = int_of_float(v.f);
        return int_or_error(r.value, r.error, cond, errs);
    }
    if (v.k == SV::K::Str) {
        IntOrError r = parse_int(v.s);
        return int_or_error(r.value, r.error, cond, errs);
    }
    if (v.k == SV::K::Opaque) throw NotEncoded("int() of a symbolic string");
    errs.push_back({cond, errors::int_argument_type()});
    return SV::integer(ctx_.int_val(0));
}

SV SymbolicEvaluator::abs_of(const SV& v, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    if (v.k == SV::K::Float && options_.mixed_kinds) return SV::real(std::fabs(v.f));
    z3::expr x = int_of(v, cond, errs);
    int64_t n;
    if (numeral(x, n)) {
        IntOrError r = int_abs(n);
        return int_or_error(r.value, r.error, cond, errs);
    }
    return checked(z3::ite(x < 0, -x, x), cond, errs);
}

SV SymbolicEvaluator::call(Builtin fn, const std::vector<SV>& args, const EvalEnv& env, const z3::expr& cond,
                           std::vector<ErrorCase>& errs) {
    switch (fn) {
        case Builtin::Int: return int_call(args.at(0), cond, errs);
        case Builtin::Str: {
            SV text = str_of(args.at(0), env);
            if (auto error = text.k == SV::K::Str ? string_size_error(text.s.size()) : std::nullopt) {
                errs.push_back({cond, *error});
                return SV::str("");
            }
            return text;
        }
        case Builtin::Bool: return SV::boolean(truthy(args.at(0)));
        case Builtin::Len: {
            const SV& v = args.at(0);
            if (v.k == SV::K::Str) return SV::integer(ctx_.int_val(static_cast<int64_t>(v.s.size())));
            if (v.k == SV::K::List) return SV::integer(ctx_.int_val(static_cast<int64_t>(v.items.size())));
            if (v.k == SV::K::Opaque || !options_.mixed_kinds) throw NotEncoded("len() of a symbolic string or an unsupported value");
            errs.push_back({cond, errors::no_len()});
            return SV::integer(ctx_.int_val(0));
        }
        case Builtin::Abs: return abs_of(args.at(0), cond, errs);
        case Builtin::Min:
        case Builtin::Max: {
            SV best = args.at(0);
            for (size_t i = 1; i < args.size(); ++i) {
                z3::expr less = compare(BinaryOp::Lt, args[i], best, cond, errs);
                best = merge(fn == Builtin::Min ? less : !less, args[i], best);
            }
            return best;
        }
        case Builtin::Pid:
            if (!args.empty()) throw NotEncoded("a child's pid read by main (p.pid)");
            return SV::pid(env.instance);
        case Builtin::ParentPid: return SV::pid(env.instance == 0 ? -1 : 0);
        case Builtin::ProcessName: throw NotEncoded("a process's name");
        case Builtin::CpuCount:
            if (!options_.mixed_kinds) throw NotEncoded("a builtin call that is not modelled");
            return SV::integer(ctx_.int_val(static_cast<int64_t>(model::machine_cpu_count())));  // as MemoryWorld and real runs
    }
    throw NotEncoded("an unknown builtin");
}

SV SymbolicEvaluator::eval_node(const Call& c, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    std::vector<SV> args;
    for (const auto& a : c.args) args.push_back(eval(*a, env, cond, errs));
    return call(c.fn, args, env, cond, errs);
}

SV SymbolicEvaluator::eval_node(const FString& f, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    std::string out;
    bool symbolic = false;
    for (const auto& part : f.parts) {
        SV v = eval(*part, env, cond, errs);
        if (!options_.mixed_kinds && v.k == SV::K::List) throw NotEncoded("a list in an f-string");
        out += str_concrete(v, env, symbolic);
        if (auto error = string_size_error(out.size())) {
            errs.push_back({cond, *error});
            return SV::str("");
        }
    }
    return symbolic ? SV::opaque() : SV::str(out);
}

SV SymbolicEvaluator::eval_node(const ListOf& l, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    SV out = SV::list();
    for (const auto& e : l.elements) out.items.push_back(eval(*e, env, cond, errs));
    if (auto error = list_size_error(out.items.size(), list_bytes(out))) errs.push_back({cond, *error});
    return out;
}

void SymbolicEvaluator::append(SV& list, SV item, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    if (list.k != SV::K::List) list = SV::list();
    list.items.push_back(std::move(item));
    if (auto error = list_size_error(list.items.size(), list_bytes(list))) errs.push_back({cond, *error});
}

SV SymbolicEvaluator::eval_node(const Subscript& s, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    SV list = eval(*s.list, env, cond, errs);
    z3::expr i = int_of(eval(*s.index, env, cond, errs), cond, errs);
    if (list.k != SV::K::List) {
        if (!options_.mixed_kinds) throw NotEncoded("a subscript of a non-list");
        errs.push_back({cond, errors::integer_expected()});
        return SV::integer(ctx_.int_val(0));
    }
    int64_t n = static_cast<int64_t>(list.items.size());
    int64_t k;
    if (numeral(i, k)) {
        if (k < 0) k += n;
        if (k < 0 || k >= n) {
            errs.push_back({cond, errors::list_index_out_of_range()});
            return SV::integer(ctx_.int_val(0));
        }
        return list.items[k];
    }
    if (!options_.mixed_kinds) throw NotEncoded("an index or bound that depends on an input or a shared value");
    errs.push_back({cond && (i < ctx_.int_val(-n) || i >= ctx_.int_val(n)), errors::list_index_out_of_range()});
    z3::expr idx = z3::ite(i < 0, i + ctx_.int_val(n), i);
    if (n == 0) return SV::integer(ctx_.int_val(0));
    SV result = list.items[n - 1];
    for (int64_t j = n - 2; j >= 0; --j) result = merge(idx == ctx_.int_val(j), list.items[j], result);
    return result;
}

SV SymbolicEvaluator::eval_node(const ParamOf& p, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs) {
    SV proc = eval(*p.process, env, cond, errs);
    if (proc.k != SV::K::Proc) throw NotEncoded("a process parameter of a symbolic process");
    if (!env.param_of) throw NotEncoded("a parameter of a process this process did not create");
    return env.param_of(proc.ref, p.param);
}

}  // namespace critsec::checker
