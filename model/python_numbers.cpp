#include "model/python_numbers.hpp"

#include <cmath>
#include <limits>

#include "model/python_errors.hpp"

namespace critsec::model {
namespace {

IntOrError fail(std::string error) { return IntOrError{0, std::move(error)}; }
FloatOrError fail_float(std::string error) { return FloatOrError{0.0, std::move(error)}; }

// The quotient Python's // gives, in 128 bits (INT64_MIN // -1 leaves 64).
__int128 floor_quotient(__int128 x, __int128 y) {
    __int128 q = x / y;
    if ((x % y != 0) && ((x < 0) != (y < 0))) --q;
    return q;
}

bool is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v'; }

}  // namespace

IntOrError fit_int64(__int128 wide) {
    if (wide > std::numeric_limits<int64_t>::max() || wide < std::numeric_limits<int64_t>::min()) return fail(errors::integer_overflow());
    return IntOrError{static_cast<int64_t>(wide), {}};
}

IntOrError int_add(int64_t x, int64_t y) { return fit_int64(static_cast<__int128>(x) + y); }
IntOrError int_sub(int64_t x, int64_t y) { return fit_int64(static_cast<__int128>(x) - y); }
IntOrError int_mul(int64_t x, int64_t y) { return fit_int64(static_cast<__int128>(x) * y); }
IntOrError int_neg(int64_t x) { return fit_int64(-static_cast<__int128>(x)); }
IntOrError int_abs(int64_t x) { return fit_int64(x < 0 ? -static_cast<__int128>(x) : static_cast<__int128>(x)); }

IntOrError int_floor_div(int64_t x, int64_t y) {
    if (y == 0) return fail(errors::integer_division_by_zero());
    return fit_int64(floor_quotient(x, y));
}

IntOrError int_mod(int64_t x, int64_t y) {
    if (y == 0) return fail(errors::integer_division_by_zero());
    return fit_int64(x - floor_quotient(x, y) * y);
}

FloatOrError float_div(double x, double y) {
    if (y == 0) return fail_float(errors::division_by_zero());
    return FloatOrError{x / y, {}};
}

FloatOrError float_floor_div(double x, double y) {
    if (y == 0) return fail_float(errors::float_floor_division_by_zero());
    return FloatOrError{std::floor(x / y), {}};
}

FloatOrError float_mod(double x, double y) {
    if (y == 0) return fail_float(errors::float_modulo_by_zero());
    return FloatOrError{x - std::floor(x / y) * y, {}};
}

IntOrError int_of_float(double d) {
    double t = std::trunc(d);
    if (!std::isfinite(t) || std::fabs(t) > 9.2e18) return fail(errors::float_to_int_overflow());
    return IntOrError{static_cast<int64_t>(t), {}};
}

IntOrError parse_int(std::string_view s) {
    size_t i = 0, end = s.size();
    while (i < end && is_space(s[i])) ++i;
    while (end > i && is_space(s[end - 1])) --end;
    bool negative = false;
    if (i < end && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    if (i >= end) return fail(errors::invalid_int_literal(s));
    __int128 value = 0;
    bool last_digit = false;
    for (size_t k = i; k < end; ++k) {
        char ch = s[k];
        if (ch == '_' && last_digit && k + 1 < end) {
            last_digit = false;
            continue;
        }
        if (ch < '0' || ch > '9') return fail(errors::invalid_int_literal(s));
        value = value * 10 + (ch - '0');
        if (value > (static_cast<__int128>(1) << 64)) return fail(errors::int_literal_overflow());
        last_digit = true;
    }
    if (!last_digit) return fail(errors::invalid_int_literal(s));
    return fit_int64(negative ? -value : value);
}

}  // namespace critsec::model
