#pragma once
// Python's numbers as the model computes with them: ints of 64 bits that fail
// (OverflowError) where Python's would grow, floor division and modulo with
// Python's signs, float division, and int() of a float or a string. Pure
// functions of plain values, defined once: the concrete semantics evaluates with
// them, and a symbolic engine takes its constants' results from them and checks
// its own terms against them. (What a ctypes store keeps is typecode.hpp's.)
#include <cstdint>
#include <string>
#include <string_view>

namespace critsec::model {

// A result, or the text of the exception Python would raise (python_errors.hpp).
template <class T>
struct OrError {
    T value{};
    std::string error;  // "" when `value` holds
    bool ok() const { return error.empty(); }
};
using IntOrError = OrError<int64_t>;
using FloatOrError = OrError<double>;

// A local int: within 64 bits, or errors::integer_overflow().
IntOrError fit_int64(__int128 wide);
IntOrError int_add(int64_t x, int64_t y);
IntOrError int_sub(int64_t x, int64_t y);
IntOrError int_mul(int64_t x, int64_t y);
IntOrError int_neg(int64_t x);
IntOrError int_abs(int64_t x);
// Python's // rounds toward minus infinity (C++ truncates toward zero), and %
// takes the divisor's sign: -7 // 2 == -4, -7 % 2 == 1, 7 % -2 == -1.
IntOrError int_floor_div(int64_t x, int64_t y);
IntOrError int_mod(int64_t x, int64_t y);

// `/` (of ints too), and // and % with a float operand.
FloatOrError float_div(double x, double y);
FloatOrError float_floor_div(double x, double y);
FloatOrError float_mod(double x, double y);

// int() of a float: truncated toward zero; inf, nan and floats beyond 64 bits fail.
IntOrError int_of_float(double d);
// int() of a string, as CPython reads base 10: whitespace around it, one sign,
// digits with single underscores between them; beyond 64 bits an OverflowError.
IntOrError parse_int(std::string_view text);

}  // namespace critsec::model
