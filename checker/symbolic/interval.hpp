#pragma once
// Concrete bounds of an integer term over constants whose ranges are known
// (randint draws), by interval arithmetic: the inductive engine states them as
// lemmas, so that Z3 bounds a sum of N contributions by linear arithmetic
// instead of splitting on which of them have happened.
#include <z3++.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace critsec::checker {

struct Interval {
    int64_t low, high;
};

struct RangedConstant {
    z3::expr constant;
    Interval range;
};

// Bounds of `e` (+, -, *, ite, numerals and the given constants), or nothing
// for any other term or when a bound leaves 64 bits.
std::optional<Interval> bounds_of(const z3::expr& e, const std::vector<RangedConstant>& constants);

}  // namespace critsec::checker
