// Python's numbers as the model defines them once (model/python_numbers.hpp):
// int() of a string, floor division and modulo, the 64-bit overflow; the
// expected values are CPython 3.11's, except where 64 bits end (a documented gap:
// Python's ints grow, the model's fail with an OverflowError).
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include "model/python_errors.hpp"
#include "model/python_numbers.hpp"
#include "model/value.hpp"
#include "model/typecode.hpp"

using namespace critsec::model;

namespace {
// What a result shows: its value, or its error.
std::string shown(const IntOrError& r) { return r.ok() ? std::to_string(r.value) : r.error; }
std::string shown(const FloatOrError& r) { return r.ok() ? std::to_string(r.value) : r.error; }
}  // namespace

TEST_CASE("int() of a string reads base 10 as CPython does") {
    struct Row {
        std::string text;
        std::string expected;
    };
    const Row rows[] = {
        {" 42 ", "42"},
        {"-7", "-7"},
        {"+3", "3"},
        {"1_000", "1000"},
        {"\t\n12\n", "12"},
        {"9223372036854775807", "9223372036854775807"},
        {"-9223372036854775808", "-9223372036854775808"},
        {"1__0", "ValueError: invalid literal for int() with base 10: '1__0'"},
        {"_1", "ValueError: invalid literal for int() with base 10: '_1'"},
        {"1_", "ValueError: invalid literal for int() with base 10: '1_'"},
        {"", "ValueError: invalid literal for int() with base 10: ''"},
        {" ", "ValueError: invalid literal for int() with base 10: ' '"},
        {"0x10", "ValueError: invalid literal for int() with base 10: '0x10'"},
        {"+", "ValueError: invalid literal for int() with base 10: '+'"},
        {std::string("7\0", 2), "ValueError: invalid literal for int() with base 10: '7\\x00'"},
        {"it's", "ValueError: invalid literal for int() with base 10: 'it\\'s'"},
        // Beyond 64 bits: Python's int grows, the model's fails.
        {"9223372036854775808", "OverflowError: integer result beyond 64 bits"},
        {"99999999999999999999", "OverflowError: integer beyond 64 bits"},
    };
    for (const Row& row : rows) {
        INFO("int(" << row.text << ")");
        CHECK(shown(parse_int(row.text)) == row.expected);
    }
}

TEST_CASE("// and % floor, with the divisor's sign, as Python's do") {
    CHECK(shown(int_floor_div(-7, 2)) == "-4");
    CHECK(shown(int_mod(-7, 2)) == "1");
    CHECK(shown(int_floor_div(7, -2)) == "-4");
    CHECK(shown(int_mod(7, -2)) == "-1");
    CHECK(shown(int_floor_div(-7, -2)) == "3");
    CHECK(shown(int_mod(-7, -2)) == "-1");
    CHECK(shown(int_mod(6, 3)) == "0");
    CHECK(shown(int_floor_div(1, 0)) == errors::integer_division_by_zero());
    CHECK(shown(int_mod(1, 0)) == errors::integer_division_by_zero());
    CHECK(float_floor_div(-7.0, 2).value == -4.0);
    CHECK(float_mod(-7.0, 2).value == 1.0);
    CHECK(float_mod(7.5, -2).value == -0.5);
    CHECK(shown(float_div(1, 0)) == "ZeroDivisionError: division by zero");
    CHECK(shown(float_floor_div(1, 0)) == "ZeroDivisionError: float floor division by zero");
    CHECK(shown(float_mod(1, 0)) == "ZeroDivisionError: float modulo");
}

TEST_CASE("a local int beyond 64 bits is an OverflowError; a store wraps to its typecode") {
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max(), kMin = std::numeric_limits<int64_t>::min();
    CHECK(shown(int_add(kMax, 1)) == "OverflowError: integer result beyond 64 bits");
    CHECK(shown(int_sub(kMin, 1)) == errors::integer_overflow());
    CHECK(shown(int_mul(kMax, 2)) == errors::integer_overflow());
    CHECK(shown(int_neg(kMin)) == errors::integer_overflow());
    CHECK(shown(int_abs(kMin)) == errors::integer_overflow());
    CHECK(shown(int_floor_div(kMin, -1)) == errors::integer_overflow());
    CHECK(shown(int_mod(kMin, -1)) == "0");
    CHECK(shown(int_add(kMax - 1, 1)) == std::to_string(kMax));
    CHECK(shown(int_of_float(-2.9)) == "-2");
    CHECK(shown(int_of_float(1e19)) == "OverflowError: cannot convert float to integer");

    // The ranges a symbolic engine reads, and the wrap a ctypes store does.
    Typecode i = *find_typecode('i'), B = *find_typecode('B'), b = *find_typecode('b'), q = *find_typecode('q');
    CHECK(i.bits == 32);
    CHECK(i.min() == -2147483648LL);
    CHECK(i.max() == 2147483647LL);
    CHECK(i.wrap(2147483648LL) == -2147483648LL);
    CHECK(B.min() == 0);
    CHECK(B.max() == 255);
    CHECK(B.wrap(-1) == 255);
    CHECK(b.wrap(130) == -126);
    CHECK(q.wrap(kMin) == kMin);
    CHECK_FALSE(find_typecode('Q'));  // its values do not fit the model's int64
}

TEST_CASE("a float prints as CPython's repr: positional for exponents from -4 to 15, else 1.5e+16") {
    const std::pair<double, const char*> cases[] = {
        {5.0, "5.0"},       {0.1, "0.1"},         {1e16, "1e+16"},   {1.5e16, "1.5e+16"}, {100000000000000000.0 / 3, "3.3333333333333332e+16"},
        {1e-5, "1e-05"},    {0.0001, "0.0001"},   {123.456, "123.456"}, {-2.5, "-2.5"},  {1e22, "1e+22"},
        {9007199254740992.0, "9007199254740992.0"}, {0.00012, "0.00012"}, {-1e-7, "-1e-07"}, {14.2, "14.2"}, {0.0, "0.0"}};
    for (const auto& [value, text] : cases) CHECK(critsec::model::python_float_repr(value) == text);
}
