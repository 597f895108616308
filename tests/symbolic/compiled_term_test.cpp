// White-box tests of the compiled search's term (checker/symbolic/compiled_term.hpp):
// for every operator it compiles, on values at the edges of 64 bits and of every
// typecode, its result is the model's (model/python_numbers.hpp, then
// model/typecode.hpp's wrap for what a store keeps), including whether the model
// fails with an OverflowError; where the model's result holds it is also Z3's
// value of the same term over unbounded ints, which checks the compilation.
#include <z3++.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "checker/symbolic/compiled_term.hpp"
#include "model/python_numbers.hpp"
#include "model/typecode.hpp"

using namespace critsec::checker;
using critsec::model::IntOrError;

namespace {

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

std::vector<critsec::model::Typecode> all_typecodes() {
    std::vector<critsec::model::Typecode> out;
    for (char code : critsec::model::known_typecodes())
        if (auto tc = critsec::model::find_typecode(code)) out.push_back(*tc);
    return out;
}

// The edges: 64 bits' (and their products' and negations'), small values of
// both signs, and each typecode's limits and the values just beyond them.
std::vector<int64_t> edge_values() {
    std::vector<int64_t> v{kMin, kMin + 1, kMin / 2, -3037000500, -3037000499, -(int64_t{1} << 32), -2,       -1,           0,        1,
                           2,    3,        7,        3037000499,  3037000500,  int64_t{1} << 32,    kMax / 2, kMax / 2 + 1, kMax - 1, kMax};
    for (const auto& tc : all_typecodes())
        for (int64_t x : {tc.min(), tc.max()}) {
            v.push_back(x);
            if (x > kMin) v.push_back(x - 1);
            if (x < kMax) v.push_back(x + 1);
        }
    return v;
}

// A term over the Int constants x, y, z (leaves by step 0, 1, 2), compiled.
struct Fixture {
    z3::context ctx;
    z3::expr x = ctx.int_const("x"), y = ctx.int_const("y"), z = ctx.int_const("z");

    CompiledTerm compile(const z3::expr& e) const {
        return CompiledTerm::compile(e, [&](unsigned id) { return id == x.id() ? 0 : id == y.id() ? 1 : id == z.id() ? 2 : -1; });
    }
    // The compiled term's value at x, y, z (nullopt: it fails).
    std::optional<int64_t> compiled(const z3::expr& e, std::vector<int64_t> xyz) const {
        CompiledTerm t = compile(e);
        std::vector<int64_t> leaves;
        for (int step : t.leaves) leaves.push_back(xyz.at(step));
        int64_t out = 0;
        if (!t.eval(leaves.data(), out)) return std::nullopt;
        return out;
    }
    // Z3's value of the term at x, y, z, over unbounded ints (bools as 0 and 1).
    int64_t z3_value(const z3::expr& e, std::vector<int64_t> xyz) {
        z3::expr_vector from(ctx), to(ctx);
        from.push_back(x), from.push_back(y), from.push_back(z);
        for (int64_t v : xyz) to.push_back(ctx.int_val(v));
        z3::expr r = z3::expr(e).substitute(from, to).simplify();
        if (r.is_bool()) return r.is_true() ? 1 : 0;
        int64_t out = 0;
        REQUIRE(r.is_numeral_i64(out));
        return out;
    }
    // The n-ary application (+ a b c), (- a b c), (* a b c), as Z3 may simplify terms to.
    z3::expr nary(Z3_ast (*mk)(Z3_context, unsigned, const Z3_ast[]), std::vector<z3::expr> args) {
        std::vector<Z3_ast> raw;
        for (const auto& a : args) raw.push_back(a);
        return z3::expr(ctx, mk(ctx, static_cast<unsigned>(raw.size()), raw.data()));
    }
};

std::string shown(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "fails"; }
std::string shown(const IntOrError& r) { return r.ok() ? std::to_string(r.value) : "fails"; }

}  // namespace

TEST_CASE("compiled term: + - * and unary - are the model's ints, overflow included", "[compiled]") {
    Fixture f;
    struct BinaryOp {
        const char* name;
        z3::expr term;
        IntOrError (*model)(int64_t, int64_t);
    };
    const BinaryOp ops[] = {
        {"+", f.x + f.y, critsec::model::int_add}, {"-", f.x - f.y, critsec::model::int_sub}, {"*", f.x * f.y, critsec::model::int_mul}};
    const auto values = edge_values();
    int overflows = 0;
    for (const auto& op : ops)
        for (int64_t a : values)
            for (int64_t b : values) {
                IntOrError expected = op.model(a, b);
                auto got = f.compiled(op.term, {a, b, 0});
                INFO(a << " " << op.name << " " << b);
                REQUIRE(shown(got) == shown(expected));
                if (expected.ok()) CHECK(*got == f.z3_value(op.term, {a, b, 0}));
                overflows += !expected.ok();
            }
    CHECK(overflows > 100);  // the table does reach past 64 bits
    for (int64_t a : values) {
        INFO("-" << a);
        auto got = f.compiled(-f.x, {a, 0, 0});
        REQUIRE(shown(got) == shown(critsec::model::int_neg(a)));
        if (got) CHECK(*got == f.z3_value(-f.x, {a, 0, 0}));
    }
}

TEST_CASE("compiled term: n-ary + - * fold left to right as Python computes a + b + c", "[compiled]") {
    Fixture f;
    struct NaryOp {
        const char* name;
        z3::expr term;
        IntOrError (*model)(int64_t, int64_t);
    };
    const NaryOp ops[] = {{"+", f.nary(Z3_mk_add, {f.x, f.y, f.z}), critsec::model::int_add},
                          {"-", f.nary(Z3_mk_sub, {f.x, f.y, f.z}), critsec::model::int_sub},
                          {"*", f.nary(Z3_mk_mul, {f.x, f.y, f.z}), critsec::model::int_mul}};
    const std::vector<int64_t> values{kMin, kMin + 1, -3037000500, -2, -1, 0, 1, 2, 3037000499, kMax - 1, kMax};
    for (const auto& op : ops)
        for (int64_t a : values)
            for (int64_t b : values)
                for (int64_t c : values) {
                    IntOrError first = op.model(a, b);
                    IntOrError expected = first.ok() ? op.model(first.value, c) : first;
                    auto got = f.compiled(op.term, {a, b, c});
                    INFO(a << " " << op.name << " " << b << " " << op.name << " " << c);
                    REQUIRE(shown(got) == shown(expected));
                    if (expected.ok()) CHECK(*got == f.z3_value(op.term, {a, b, c}));
                }
}

TEST_CASE("compiled term: comparisons, not, and, or, if-expressions", "[compiled]") {
    Fixture f;
    struct Comparison {
        const char* name;
        z3::expr term;
        std::function<bool(int64_t, int64_t)> model;
    };
    const Comparison comparisons[] = {
        {"<", f.x < f.y, [](int64_t a, int64_t b) { return a < b; }},
        {"<=", f.x <= f.y, [](int64_t a, int64_t b) { return a <= b; }},
        {">", f.x > f.y, [](int64_t a, int64_t b) { return a > b; }},
        {">=", f.x >= f.y, [](int64_t a, int64_t b) { return a >= b; }},
        {"==", f.x == f.y, [](int64_t a, int64_t b) { return a == b; }},
        {"!=", f.x != f.y, [](int64_t a, int64_t b) { return a != b; }},
        {"not <", !(f.x < f.y), [](int64_t a, int64_t b) { return !(a < b); }},
        {"< and <", f.x < f.y && f.y < f.z, [](int64_t a, int64_t b) { return a < b && b < 0; }},
        {"< or <", f.x < f.y || f.y < f.z, [](int64_t a, int64_t b) { return a < b || b < 0; }},
    };
    const auto values = edge_values();
    for (const auto& cmp : comparisons)
        for (int64_t a : values)
            for (int64_t b : values) {
                INFO(a << " " << cmp.name << " " << b);
                REQUIRE(shown(f.compiled(cmp.term, {a, b, 0})) == std::to_string(cmp.model(a, b) ? 1 : 0));
            }
    // Both branches are evaluated (stricter than Python): an overflow in the one
    // not taken fails the term too, and the search leaves the spec to the explorer.
    z3::expr pick = z3::ite(f.x < f.y, f.x + f.y, f.x - f.y);
    for (int64_t a : values)
        for (int64_t b : values) {
            IntOrError sum = critsec::model::int_add(a, b), difference = critsec::model::int_sub(a, b);
            INFO(a << " " << b);
            if (!sum.ok() || !difference.ok()) REQUIRE(!f.compiled(pick, {a, b, 0}));
            else REQUIRE(shown(f.compiled(pick, {a, b, 0})) == std::to_string(a < b ? sum.value : difference.value));
        }
}

TEST_CASE("compiled term: what a store keeps is the model's value wrapped to the cell's typecode", "[compiled]") {
    Fixture f;
    const auto values = edge_values();
    for (const auto& tc : all_typecodes())
        for (const z3::expr& term : {f.x + f.y, f.x - f.y, f.x * f.y})
            for (int64_t a : values)
                for (int64_t b : values) {
                    auto got = f.compiled(term, {a, b, 0});
                    IntOrError expected = term.decl().decl_kind() == Z3_OP_ADD   ? critsec::model::int_add(a, b)
                                          : term.decl().decl_kind() == Z3_OP_SUB ? critsec::model::int_sub(a, b)
                                                                                 : critsec::model::int_mul(a, b);
                    INFO(tc.code << ": " << term << " at " << a << ", " << b);
                    REQUIRE(got.has_value() == expected.ok());
                    if (!got) continue;
                    int64_t kept = tc.wrap(*got);
                    CHECK(kept == tc.wrap(expected.value));
                    CHECK(kept >= tc.min());
                    CHECK(kept <= tc.max());
                    if (*got >= tc.min() && *got <= tc.max()) CHECK(kept == *got);
                }
}

TEST_CASE("compiled term: constants, and what it does not compile", "[compiled]") {
    Fixture f;
    CHECK(shown(f.compiled(f.ctx.int_val(kMin), {})) == std::to_string(kMin));
    CHECK(shown(f.compiled(f.ctx.bool_val(true), {})) == "1");
    CHECK(shown(f.compiled(f.ctx.bool_val(false), {})) == "0");
    CHECK(shown(f.compiled(f.x + f.ctx.int_val(kMax), {1, 0, 0})) == "fails");
    auto why = [&](const z3::expr& e) -> std::string {
        try {
            f.compile(e);
        } catch (const TermNotCompiled& n) {
            return n.why;
        }
        return "compiled";
    };
    CHECK(why(f.ctx.int_val("9223372036854775808")) == "a constant beyond 64 bits");
    CHECK(why(f.x / f.y) == "an operator the compiled search does not evaluate");
    CHECK(why(z3::mod(f.x, f.y)) == "an operator the compiled search does not evaluate");
    CHECK(why(f.x + f.ctx.int_const("w")) == "a term over something other than the child's loads");
    z3::expr deep = f.x;
    for (int i = 0; i < CompiledTerm::kMaxDepth + 1; ++i) deep = f.y + deep;  // each + needs one more stack slot
    CHECK(why(deep) == "a term too big to compile");
    // Equal terms, equal texts; the leaves are named by the caller.
    auto name = [](int step) { return "L" + std::to_string(step); };
    CHECK(f.compile(f.x + f.y).text(name) == f.compile(f.x + f.y).text(name));
    CHECK(f.compile(f.x + f.y).text(name) != f.compile(f.x - f.y).text(name));
}
