#pragma once
// How a local expression gets its value, as CPython computes it: the part of the
// step semantics (semantics.cpp) that touches nothing shared. A Python exception
// on the way is thrown as a RuntimeError, which fails the process.
#include <cstdint>
#include <optional>
#include <string>

#include "model/python_numbers.hpp"
#include "model/semantics.hpp"

namespace critsec::model {

// A runtime error inside local computation: it fails the process, like a Python exception.
struct RuntimeError {
    std::string message;
};

// The value of a Python operation, or its exception.
template <class T>
T value_or_raise(OrError<T> r) {
    if (!r.ok()) throw RuntimeError{std::move(r.error)};
    return r.value;
}

// A size cap's MemoryError (value_sizes.hpp), if it has one.
void raise_if(std::optional<std::string> error);

class Evaluator {
public:
    Evaluator(const ProcessState& state, World* world) : state_(state), world_(world) {}

    Value eval(const Expr& e) const;

    // The value a store to a ctypes cell keeps: Python computes the int unbounded
    // and ctypes truncates it to 64 bits (then the typecode's width). +, - and *
    // commute with that truncation, so they are computed wrapped; any other
    // operator, or a non-int operand, is evaluated as usual.
    int64_t eval_stored(const Expr& e) const;
    static int64_t int_result(const Value& v);

private:
    // e mod 2**64 when e is an int built by +, - and * (unary - too); nullopt otherwise.
    std::optional<uint64_t> ring_mod64(const Expr& e) const;
    std::optional<uint64_t> ring_operand(const Expr& e) const;
    Value eval_node(const Const& c) const;
    Value eval_node(const Var& v) const;
    static bool truthy(const Value& v);
    static double as_number(const Value& v);
    static int64_t as_int(const Value& v);
    Value eval_node(const Unary& u) const;
    Value eval_node(const Binary& b) const;
    static bool equal(const Value& l, const Value& r);
    static Value compare(BinaryOp op, const Value& l, const Value& r);
    std::string str(const Value& v) const;
    Value eval_node(const Call& c) const;

    // int() of a value: Python's rules are python_numbers.hpp's.
    static Value int_call(const Value& v);
    Value eval_node(const FString& f) const;
    Value eval_node(const ListOf& l) const;
    Value eval_node(const Subscript& s) const;
    Value eval_node(const ParamOf& p) const;
    const ProcessState& state_;
    World* world_;
};

}  // namespace critsec::model
