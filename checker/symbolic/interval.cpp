#include "checker/symbolic/interval.hpp"

#include <algorithm>

namespace critsec::checker {
namespace {

std::optional<int64_t> fits(__int128 v) {
    if (v < INT64_MIN || v > INT64_MAX) return std::nullopt;
    return static_cast<int64_t>(v);
}

std::optional<Interval> make(__int128 low, __int128 high) {
    auto l = fits(low), h = fits(high);
    if (!l || !h) return std::nullopt;
    return Interval{*l, *h};
}

std::optional<Interval> add(const Interval& a, const Interval& b) { return make(__int128{a.low} + b.low, __int128{a.high} + b.high); }

std::optional<Interval> mul(const Interval& a, const Interval& b) {
    __int128 c[] = {__int128{a.low} * b.low, __int128{a.low} * b.high, __int128{a.high} * b.low, __int128{a.high} * b.high};
    return make(*std::min_element(std::begin(c), std::end(c)), *std::max_element(std::begin(c), std::end(c)));
}

std::optional<Interval> negate(const Interval& a) { return make(-__int128{a.high}, -__int128{a.low}); }

}  // namespace

std::optional<Interval> bounds_of(const z3::expr& e, const std::vector<RangedConstant>& constants) {
    int64_t value = 0;
    if (e.is_numeral()) {
        if (!e.is_numeral_i64(value)) return std::nullopt;
        return Interval{value, value};
    }
    if (!e.is_app()) return std::nullopt;
    if (e.is_const()) {
        for (const auto& c : constants)
            if (z3::eq(c.constant, e)) return c.range;
        return std::nullopt;
    }
    std::vector<Interval> args;
    Z3_decl_kind kind = e.decl().decl_kind();
    // An ite's condition is not bounded: either branch may be taken.
    for (unsigned i = kind == Z3_OP_ITE ? 1 : 0; i < e.num_args(); ++i) {
        auto b = bounds_of(e.arg(i), constants);
        if (!b) return std::nullopt;
        args.push_back(*b);
    }
    std::optional<Interval> out = args.empty() ? std::nullopt : std::optional<Interval>(args[0]);
    switch (kind) {
        case Z3_OP_ADD:
            for (size_t i = 1; i < args.size() && out; ++i) out = add(*out, args[i]);
            return out;
        case Z3_OP_MUL:
            for (size_t i = 1; i < args.size() && out; ++i) out = mul(*out, args[i]);
            return out;
        case Z3_OP_SUB:
            for (size_t i = 1; i < args.size() && out; ++i)
                if (auto n = negate(args[i])) out = add(*out, *n);
                else return std::nullopt;
            return out;
        case Z3_OP_UMINUS: return args.size() == 1 ? negate(args[0]) : std::nullopt;
        case Z3_OP_ITE:
            if (args.size() != 2) return std::nullopt;
            return Interval{std::min(args[0].low, args[1].low), std::max(args[0].high, args[1].high)};
        default: return std::nullopt;
    }
}

}  // namespace critsec::checker
