#include "model/evaluator.hpp"

#include <fmt/format.h>

#include <cmath>

#include "model/python_errors.hpp"
#include "model/value_sizes.hpp"

namespace critsec::model {

void raise_if(std::optional<std::string> error) {
    if (error) throw RuntimeError{std::move(*error)};
}

Value Evaluator::eval(const Expr& e) const {
    return std::visit([&](const auto& n) { return eval_node(n); }, e.node);
}

int64_t Evaluator::eval_stored(const Expr& e) const {
    if (auto wrapped = ring_mod64(e)) return static_cast<int64_t>(*wrapped);
    return int_result(eval(e));
}

int64_t Evaluator::int_result(const Value& v) {
    if (v.is<bool>()) return v.as<bool>() ? 1 : 0;
    if (!v.is<int64_t>()) throw RuntimeError{errors::integer_expected()};
    return v.as<int64_t>();
}

std::optional<uint64_t> Evaluator::ring_mod64(const Expr& e) const {
    if (const auto* u = std::get_if<Unary>(&e.node); u && u->op == UnaryOp::Neg) {
        auto v = ring_operand(*u->operand);
        if (!v) return std::nullopt;
        return uint64_t{0} - *v;
    }
    const auto* b = std::get_if<Binary>(&e.node);
    if (!b || (b->op != BinaryOp::Add && b->op != BinaryOp::Sub && b->op != BinaryOp::Mul)) return std::nullopt;
    auto l = ring_operand(*b->left);
    if (!l) return std::nullopt;
    auto r = ring_operand(*b->right);
    if (!r) return std::nullopt;
    switch (b->op) {
        case BinaryOp::Add: return *l + *r;
        case BinaryOp::Sub: return *l - *r;
        default: return *l * *r;
    }
}

std::optional<uint64_t> Evaluator::ring_operand(const Expr& e) const {
    if (auto wrapped = ring_mod64(e)) return wrapped;
    Value v = eval(e);
    if (v.is<int64_t>()) return static_cast<uint64_t>(v.as<int64_t>());
    if (v.is<bool>()) return uint64_t{v.as<bool>() ? 1u : 0u};
    return std::nullopt;
}

Value Evaluator::eval_node(const Const& c) const { return c.value; }

Value Evaluator::eval_node(const Var& v) const {
    const auto& slots = v.global ? state_.globals : state_.locals;
    if (v.slot < 0 || v.slot >= static_cast<int>(slots.size())) throw RuntimeError{"internal: bad variable slot"};
    const Value& value = slots[v.slot];
    if (value.is<Unset>()) throw RuntimeError{errors::unbound_variable()};
    return value;
}

bool Evaluator::truthy(const Value& v) {
    if (v.is<bool>()) return v.as<bool>();
    if (v.is<int64_t>()) return v.as<int64_t>() != 0;
    if (v.is<double>()) return v.as<double>() != 0.0;
    if (v.is<std::string>()) return !v.as<std::string>().empty();
    if (v.is<List>()) return !v.as<List>().empty();
    return !v.is<NoneValue>();
}

double Evaluator::as_number(const Value& v) {
    if (v.is<int64_t>()) return static_cast<double>(v.as<int64_t>());
    if (v.is<bool>()) return v.as<bool>() ? 1.0 : 0.0;
    if (v.is<NoneValue>()) throw RuntimeError{errors::none_operand()};
    return v.as<double>();
}

int64_t Evaluator::as_int(const Value& v) {
    if (v.is<bool>()) return v.as<bool>() ? 1 : 0;
    if (v.is<int64_t>()) return v.as<int64_t>();
    if (v.is<NoneValue>()) throw RuntimeError{errors::none_operand()};
    throw RuntimeError{errors::integer_expected()};
}

Value Evaluator::eval_node(const Unary& u) const {
    Value v = eval(*u.operand);
    if (u.op == UnaryOp::Not) return !truthy(v);
    if (v.is<double>()) return -v.as<double>();
    return value_or_raise(int_neg(as_int(v)));
}

Value Evaluator::eval_node(const Binary& b) const {
    if (b.op == BinaryOp::And || b.op == BinaryOp::Or) {
        // Python's and/or return an operand, not a bool.
        Value left = eval(*b.left);
        bool decided = b.op == BinaryOp::And ? !truthy(left) : truthy(left);
        return decided ? left : eval(*b.right);
    }
    Value l = eval(*b.left);
    Value r = eval(*b.right);
    switch (b.op) {
        case BinaryOp::Eq: return equal(l, r);
        case BinaryOp::Ne: return !equal(l, r);
        case BinaryOp::Lt:
        case BinaryOp::Le:
        case BinaryOp::Gt:
        case BinaryOp::Ge: return compare(b.op, l, r);
        default: break;
    }
    if (l.is<std::string>() || r.is<std::string>()) {
        if (b.op == BinaryOp::Add && l.is<std::string>() && r.is<std::string>()) {
            raise_if(string_size_error(l.as<std::string>().size() + r.as<std::string>().size()));
            return l.as<std::string>() + r.as<std::string>();
        }
        if (b.op == BinaryOp::Mul) {
            const Value& s = l.is<std::string>() ? l : r;
            int64_t n = as_int(l.is<std::string>() ? r : l);
            raise_if(repeated_string_size_error(s.as<std::string>().size(), n));
            std::string out;
            for (int64_t i = 0; i < n; ++i) out += s.as<std::string>();
            return out;
        }
        throw RuntimeError{errors::string_operand_types()};
    }
    if (b.op == BinaryOp::Div || l.is<double>() || r.is<double>()) {
        double x = as_number(l), y = as_number(r);
        switch (b.op) {
            case BinaryOp::Add: return x + y;
            case BinaryOp::Sub: return x - y;
            case BinaryOp::Mul: return x * y;
            case BinaryOp::Div: return value_or_raise(float_div(x, y));
            case BinaryOp::FloorDiv: return value_or_raise(float_floor_div(x, y));
            case BinaryOp::Mod: return value_or_raise(float_mod(x, y));
            default: break;
        }
    }
    int64_t x = as_int(l), y = as_int(r);
    switch (b.op) {
        case BinaryOp::Add: return value_or_raise(int_add(x, y));
        case BinaryOp::Sub: return value_or_raise(int_sub(x, y));
        case BinaryOp::Mul: return value_or_raise(int_mul(x, y));
        case BinaryOp::FloorDiv: return value_or_raise(int_floor_div(x, y));
        case BinaryOp::Mod: return value_or_raise(int_mod(x, y));
        default: break;
    }
    throw RuntimeError{"internal: unknown operator"};
}

bool Evaluator::equal(const Value& l, const Value& r) {
    bool l_num = l.is<int64_t>() || l.is<double>() || l.is<bool>();
    bool r_num = r.is<int64_t>() || r.is<double>() || r.is<bool>();
    if (l_num && r_num) {
        if (l.is<double>() || r.is<double>()) return as_number(l) == as_number(r);
        return as_int(l) == as_int(r);
    }
    return l == r;
}

Value Evaluator::compare(BinaryOp op, const Value& l, const Value& r) {
    int c;
    if (l.is<std::string>() && r.is<std::string>()) {
        c = l.as<std::string>().compare(r.as<std::string>());
    } else if (l.is<double>() || r.is<double>()) {
        double x = as_number(l), y = as_number(r);
        c = x < y ? -1 : x > y ? 1 : 0;
    } else {
        int64_t x = as_int(l), y = as_int(r);
        c = x < y ? -1 : x > y ? 1 : 0;
    }
    switch (op) {
        case BinaryOp::Lt: return c < 0;
        case BinaryOp::Le: return c <= 0;
        case BinaryOp::Gt: return c > 0;
        default: return c >= 0;
    }
}

std::string Evaluator::str(const Value& v) const {
    return to_python_str(v, [&](int instance) { return world_ ? world_->pid_name(instance) : fmt::format("#{}", instance); });
}

Value Evaluator::eval_node(const Call& c) const {
    std::vector<Value> args;
    for (const auto& a : c.args) args.push_back(eval(*a));
    switch (c.fn) {
        case Builtin::Int: return int_call(args.at(0));
        case Builtin::Str: {
            std::string text = str(args.at(0));
            raise_if(string_size_error(text.size()));
            return text;
        }
        case Builtin::Bool: return truthy(args.at(0));
        case Builtin::Len: {
            const Value& v = args.at(0);
            if (v.is<std::string>()) return static_cast<int64_t>(v.as<std::string>().size());
            if (v.is<List>()) return static_cast<int64_t>(v.as<List>().size());
            throw RuntimeError{errors::no_len()};
        }
        case Builtin::Abs: {
            const Value& v = args.at(0);
            if (v.is<double>()) return std::fabs(v.as<double>());
            return value_or_raise(int_abs(as_int(v)));
        }
        case Builtin::Min:
        case Builtin::Max: {
            Value best = args.at(0);
            for (size_t i = 1; i < args.size(); ++i) {
                bool less = compare(BinaryOp::Lt, args[i], best).as<bool>();
                if ((c.fn == Builtin::Min) == less) best = args[i];
            }
            return best;
        }
        case Builtin::Pid:
            if (args.empty()) return Pid{state_.instance};
            for (const auto& c : state_.created)  // `p.pid`: None until p.start()
                if (c.instance == args[0].as<ProcRef>().instance) return c.started ? Value(Pid{c.instance}) : Value(NoneValue{});
            throw RuntimeError{"internal: unknown process object"};
        case Builtin::ProcessName:
            if (args.empty()) return state_.name;
            for (const auto& c : state_.created)
                if (c.instance == args[0].as<ProcRef>().instance) return c.name;
            throw RuntimeError{"internal: unknown process object"};
        case Builtin::ParentPid: return Pid{state_.instance == 0 ? -1 : 0};
        case Builtin::CpuCount:
            if (!world_) throw RuntimeError{"internal: cpu_count() outside a world"};
            return world_->cpu_count();
    }
    throw RuntimeError{"internal: unknown builtin"};
}

Value Evaluator::int_call(const Value& v) {
    if (v.is<int64_t>()) return v;
    if (v.is<bool>()) return int64_t{v.as<bool>() ? 1 : 0};
    if (v.is<double>()) return value_or_raise(int_of_float(v.as<double>()));
    if (!v.is<std::string>()) throw RuntimeError{errors::int_argument_type()};
    return value_or_raise(parse_int(v.as<std::string>()));
}

Value Evaluator::eval_node(const FString& f) const {
    std::string out;
    for (const auto& part : f.parts) {
        out += str(eval(*part));
        raise_if(string_size_error(out.size()));
    }
    return out;
}

Value Evaluator::eval_node(const ListOf& l) const {
    List out;
    for (const auto& e : l.elements) out.push_back(eval(*e));
    Value list = std::move(out);
    raise_if(list_size_error(list.as<List>().size(), value_bytes(list)));
    return list;
}

Value Evaluator::eval_node(const Subscript& s) const {
    Value list = eval(*s.list);
    int64_t i = as_int(eval(*s.index));
    const List& items = list.as<List>();
    int64_t n = static_cast<int64_t>(items.size());
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw RuntimeError{errors::list_index_out_of_range()};
    return items[i];
}

Value Evaluator::eval_node(const ParamOf& p) const {
    Value proc = eval(*p.process);
    int instance = proc.as<ProcRef>().instance;
    for (const auto& c : state_.created)
        if (c.instance == instance) return c.args.at(p.param);
    throw RuntimeError{"internal: unknown process object"};
}

}  // namespace critsec::model
