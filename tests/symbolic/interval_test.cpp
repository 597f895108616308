// White-box tests of the symbolic room's interval arithmetic (checker/symbolic/interval.hpp):
// the bounds the inductive engine states as lemmas. Tests under tests/symbolic/ may use Z3
// directly; every other test goes through checker/symbolic/symbolic_session.hpp.
#include <z3++.h>
#include <catch2/catch.hpp>

#include <cstdint>

#include "checker/symbolic/interval.hpp"

using namespace critsec::checker;

TEST_CASE("induction: interval bounds of an increment", "[induction]") {
    z3::context ctx;
    z3::expr x = ctx.int_const("x"), y = ctx.int_const("y");
    std::vector<RangedConstant> ranges{{x, {1, 10}}, {y, {-3, 2}}};
    auto b = bounds_of(60 * x - y, ranges);
    REQUIRE(b);
    CHECK(b->low == 58);
    CHECK(b->high == 603);
    b = bounds_of(z3::ite(x > 3, x * y, ctx.int_val(0)), ranges);
    REQUIRE(b);
    CHECK(b->low == -30);
    CHECK(b->high == 20);
    CHECK(!bounds_of(x + ctx.int_const("z"), ranges));      // an unranged constant
    CHECK(!bounds_of(ctx.int_val(INT64_MAX) * x, ranges));  // leaves 64 bits
}
