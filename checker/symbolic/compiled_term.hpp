#pragma once
// A term of the transition system (transition_system.hpp) compiled for the
// compiled search (compiled_search.hpp): postfix code over 64-bit words, bools
// as 0 and 1, whose leaves are one child's loads, by step index. Its ints
// compute as the model's do (python_numbers.hpp): a step the model would fail
// with OverflowError fails the evaluation, and the search leaves the spec to the
// explorer. It is stricter than Python in one way: both branches of an
// if-expression are evaluated, so an overflow in the one not taken fails it too.
// (What a store then keeps in its cell is the typecode's wrap, typecode.hpp.)
#include <z3++.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace critsec::checker {

// A term the compiled search does not evaluate (an operator it does not know, a
// constant beyond 64 bits, a term over something else than the child's loads,
// too deep a term): the search declines with `why`.
struct TermNotCompiled {
    std::string why;
};

class CompiledTerm {
public:
    static constexpr int kMaxDepth = 64;
    static constexpr size_t kMaxLeaves = 256;

    std::vector<int> leaves;  // the step index of each leaf, in first-use order

    // `leaf_step(id)`: the step whose load the constant with that Z3 id stands
    // for, or -1. Throws TermNotCompiled.
    static CompiledTerm compile(const z3::expr& e, const std::function<int(unsigned)>& leaf_step);

    // `leaf_values[i]` is the value of `leaves[i]`. False where the model's ints
    // would fail (an OverflowError): `out` is then unspecified.
    bool eval(const int64_t* leaf_values, int64_t& out) const;

    // The term's code with its leaves named by `leaf_name`: equal texts, equal terms.
    std::string text(const std::function<std::string(int step)>& leaf_name) const;

private:
    enum class Op : uint8_t { Num, Leaf, Add, Sub, Mul, Neg, Ite, Lt, Le, Gt, Ge, Eq, Ne, Not, And, Or };
    struct Instr {
        Op op;
        uint32_t arity;
        int64_t arg;
    };

    int emit(const z3::expr& e, const std::function<int(unsigned)>& leaf_step);
    int emit_leaf(const z3::expr& e, const std::function<int(unsigned)>& leaf_step);

    std::vector<Instr> code_;
};

}  // namespace critsec::checker
