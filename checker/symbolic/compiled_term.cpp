#include "checker/symbolic/compiled_term.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "model/python_numbers.hpp"

namespace critsec::checker {
namespace {

// Python's `a + b + c` is `(a + b) + c`: the model's operation folded left to
// right, failing where any of its steps does.
bool fold(model::IntOrError (*op)(int64_t, int64_t), const int64_t* args, int n, int64_t& r) {
    r = args[0];
    for (int i = 1; i < n; ++i) {
        model::IntOrError step = op(r, args[i]);
        if (!step.ok()) return false;
        r = step.value;
    }
    return true;
}

}  // namespace

CompiledTerm CompiledTerm::compile(const z3::expr& e, const std::function<int(unsigned)>& leaf_step) {
    CompiledTerm t;
    if (t.emit(e, leaf_step) > kMaxDepth || t.leaves.size() > kMaxLeaves) throw TermNotCompiled{"a term too big to compile"};
    return t;
}

bool CompiledTerm::eval(const int64_t* leaf_values, int64_t& out) const {
    int64_t st[kMaxDepth];
    int sp = 0;
    for (const Instr& in : code_) {
        int n = static_cast<int>(in.arity);
        int64_t* args = st + sp - n;
        int64_t r = 0;
        bool ok = true;
        switch (in.op) {
            case Op::Num: r = in.arg; break;
            case Op::Leaf: r = leaf_values[in.arg]; break;
            case Op::Add: ok = fold(model::int_add, args, n, r); break;
            case Op::Sub: ok = fold(model::int_sub, args, n, r); break;
            case Op::Mul: ok = fold(model::int_mul, args, n, r); break;
            case Op::Neg: {
                model::IntOrError neg = model::int_neg(args[0]);
                ok = neg.ok();
                r = neg.value;
                break;
            }
            case Op::Ite: r = args[0] ? args[1] : args[2]; break;
            case Op::Lt: r = args[0] < args[1]; break;
            case Op::Le: r = args[0] <= args[1]; break;
            case Op::Gt: r = args[0] > args[1]; break;
            case Op::Ge: r = args[0] >= args[1]; break;
            case Op::Eq: r = args[0] == args[1]; break;
            case Op::Ne: r = args[0] != args[1]; break;
            case Op::Not: r = !args[0]; break;
            case Op::And: r = std::all_of(args, args + n, [](int64_t a) { return a != 0; }); break;
            case Op::Or: r = std::any_of(args, args + n, [](int64_t a) { return a != 0; }); break;
        }
        if (!ok) return false;
        sp -= n;
        st[sp++] = r;
    }
    out = st[0];
    return true;
}

std::string CompiledTerm::text(const std::function<std::string(int step)>& leaf_name) const {
    std::string out;
    for (const Instr& in : code_) {
        if (in.op == Op::Leaf) out += leaf_name(leaves[in.arg]);
        else out += fmt::format("{}/{}/{}", static_cast<int>(in.op), in.arity, in.arg);
        out += ' ';
    }
    return out;
}

// Returns the stack depth the term needs.
int CompiledTerm::emit(const z3::expr& e, const std::function<int(unsigned)>& leaf_step) {
    if (e.is_true() || e.is_false() || e.is_numeral() || (e.is_app() && e.is_const())) return emit_leaf(e, leaf_step);
    if (!e.is_app()) throw TermNotCompiled{"a term that is not an application"};
    Op op;
    unsigned n = e.num_args();
    switch (e.decl().decl_kind()) {
        case Z3_OP_ADD: op = Op::Add; break;
        case Z3_OP_SUB: op = Op::Sub; break;
        case Z3_OP_MUL: op = Op::Mul; break;
        case Z3_OP_UMINUS: op = Op::Neg; break;
        case Z3_OP_ITE: op = Op::Ite; break;
        case Z3_OP_LT: op = Op::Lt; break;
        case Z3_OP_LE: op = Op::Le; break;
        case Z3_OP_GT: op = Op::Gt; break;
        case Z3_OP_GE: op = Op::Ge; break;
        case Z3_OP_EQ: op = Op::Eq; break;
        case Z3_OP_DISTINCT: op = Op::Ne; break;
        case Z3_OP_NOT: op = Op::Not; break;
        case Z3_OP_AND: op = Op::And; break;
        case Z3_OP_OR: op = Op::Or; break;
        default: throw TermNotCompiled{"an operator the compiled search does not evaluate"};
    }
    if (n == 0 || (op == Op::Ne && n != 2)) throw TermNotCompiled{"an operator the compiled search does not evaluate"};
    int depth = 0;
    for (unsigned i = 0; i < n; ++i) depth = std::max(depth, emit(e.arg(i), leaf_step) + static_cast<int>(i));
    code_.push_back({op, n, 0});
    return depth;
}

// A constant: true, false, a numeral, or a child's load.
int CompiledTerm::emit_leaf(const z3::expr& e, const std::function<int(unsigned)>& leaf_step) {
    if (e.is_true() || e.is_false()) {
        code_.push_back({Op::Num, 0, e.is_true() ? 1 : 0});
    } else if (e.is_numeral()) {
        int64_t v = 0;
        if (!e.is_numeral_i64(v)) throw TermNotCompiled{"a constant beyond 64 bits"};
        code_.push_back({Op::Num, 0, v});
    } else {
        int step = leaf_step(e.id());
        if (step < 0) throw TermNotCompiled{"a term over something other than the child's loads"};
        auto at = std::find(leaves.begin(), leaves.end(), step);
        if (at == leaves.end()) at = leaves.insert(leaves.end(), step);
        code_.push_back({Op::Leaf, 0, at - leaves.begin()});
    }
    return 1;
}

}  // namespace critsec::checker
