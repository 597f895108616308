#pragma once
// The one symbolic meaning of a model::Expr: its value as Z3 terms (or concrete
// Python values), and the Python failures it may raise as guarded conditions.
// Constants compute with model/python_numbers.hpp; failures read as
// model/python_errors.hpp says. Both symbolic engines evaluate with it: the
// encoder (every path, every failure a Fail event) and the transition system
// (a narrower shape, chosen by EvalOptions, that declines the rest).
#include <z3++.h>

#include <functional>
#include <string>
#include <vector>

#include "checker/symbolic/interval.hpp"
#include "checker/symbolic/symbolic_value.hpp"
#include "model/program.hpp"

namespace critsec::checker {

struct EvalOptions {
    // `//` and `%` (with Python's floor semantics); without it they are NotEncoded.
    bool floor_division = true;
    // Values of mixed kinds: a bool as an int, floats in arithmetic, strings in
    // comparisons and truth, and/or over non-bools, int() of a string or float,
    // a subscript by a symbolic index. Without it those are NotEncoded.
    bool mixed_kinds = true;
};

// What an expression reads besides itself: the process's variables and its names.
struct EvalEnv {
    const std::vector<SymbolicValue>* locals = nullptr;
    const std::vector<SymbolicValue>* globals = nullptr;
    int instance = 0;  // pid()'s answer
    // A created process's parameter (`p.n1`); NotEncoded when not known.
    std::function<SymbolicValue(int process_instance, int param)> param_of;
    // How str() shows a pid (-1: the shell that started main).
    std::function<std::string(int instance)> pid_name;
};

class SymbolicEvaluator {
public:
    explicit SymbolicEvaluator(z3::context& ctx, EvalOptions options = {}) : ctx_(ctx), options_(options) {}

    // Int constants whose ranges are known (loads of a typecode, draws): an
    // operation whose bounds stay within 64 bits over them needs no overflow guard.
    void add_range(const z3::expr& constant, int64_t low, int64_t high) { ranges_.push_back({constant, {low, high}}); }

    // The value of `expr`; each failure it may raise is appended to `errs`,
    // guarded by `cond` (the evaluation reaches it) and its own condition.
    SymbolicValue eval(const model::Expr& expr, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs);

    SymbolicValue from_value(const model::Value& v);
    z3::expr int_of(const SymbolicValue& v, const z3::expr& cond, std::vector<ErrorCase>& errs);
    z3::expr truthy(const SymbolicValue& v);
    // str() of a value: concrete when it is, Opaque otherwise.
    SymbolicValue str_of(const SymbolicValue& v, const EvalEnv& env);
    // The text of a concrete value; `symbolic` set when it is not concrete.
    std::string str_concrete(const SymbolicValue& v, const EvalEnv& env, bool& symbolic);
    z3::expr equal(const SymbolicValue& l, const SymbolicValue& r, const z3::expr& cond, std::vector<ErrorCase>& errs);
    z3::expr compare(model::BinaryOp op, const SymbolicValue& l, const SymbolicValue& r, const z3::expr& cond,
                     std::vector<ErrorCase>& errs);
    SymbolicValue arith(model::BinaryOp op, const SymbolicValue& l, const SymbolicValue& r, const z3::expr& cond,
                        std::vector<ErrorCase>& errs);
    SymbolicValue negate(const SymbolicValue& v, const z3::expr& cond, std::vector<ErrorCase>& errs);
    SymbolicValue call(model::Builtin fn, const std::vector<SymbolicValue>& args, const EvalEnv& env, const z3::expr& cond,
                       std::vector<ErrorCase>& errs);
    // list.append(item), with the model's list caps (model/value_sizes.hpp).
    void append(SymbolicValue& list, SymbolicValue item, const z3::expr& cond, std::vector<ErrorCase>& errs);
    // Python's and/or pick an operand: `l` where `take_left` holds, else `r`.
    SymbolicValue merge(const z3::expr& take_left, const SymbolicValue& l, const SymbolicValue& r);

private:
    SymbolicValue eval_node(const model::Const& c, const EvalEnv&, const z3::expr&, std::vector<ErrorCase>&);
    SymbolicValue eval_node(const model::Var& v, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs);
    SymbolicValue eval_node(const model::Unary& u, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs);
    SymbolicValue eval_node(const model::Binary& b, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs);
    SymbolicValue eval_node(const model::Call& c, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs);
    SymbolicValue eval_node(const model::FString& f, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs);
    SymbolicValue eval_node(const model::ListOf& l, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs);
    SymbolicValue eval_node(const model::Subscript& s, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs);
    SymbolicValue eval_node(const model::ParamOf& p, const EvalEnv& env, const z3::expr& cond, std::vector<ErrorCase>& errs);

    SymbolicValue string_arith(model::BinaryOp op, const SymbolicValue& l, const SymbolicValue& r, const z3::expr& cond,
                               std::vector<ErrorCase>& errs);
    SymbolicValue float_arith(model::BinaryOp op, const SymbolicValue& l, const SymbolicValue& r, const z3::expr& cond,
                              std::vector<ErrorCase>& errs);
    SymbolicValue int_arith(model::BinaryOp op, const z3::expr& a, const z3::expr& b, const z3::expr& cond, std::vector<ErrorCase>& errs);
    SymbolicValue int_call(const SymbolicValue& v, const z3::expr& cond, std::vector<ErrorCase>& errs);
    SymbolicValue abs_of(const SymbolicValue& v, const z3::expr& cond, std::vector<ErrorCase>& errs);
    std::optional<double> number(const SymbolicValue& v);
    // A symbolic int result: an OverflowError where it leaves 64 bits, unless its bounds say it never does.
    SymbolicValue checked(const z3::expr& result, const z3::expr& cond, std::vector<ErrorCase>& errs);
    SymbolicValue int_or_error(int64_t value, const std::string& error, const z3::expr& cond, std::vector<ErrorCase>& errs);

    z3::context& ctx_;
    EvalOptions options_;
    std::vector<RangedConstant> ranges_;
};

}  // namespace critsec::checker
