#include "checker/symbolic/transitions.hpp"

#include "checker/symbolic/symbolic_value.hpp"
#include "model/lock_rules.hpp"

namespace critsec::checker {

AcquireEffect acquire_effect(int own_depth, bool recursive) {
    if (own_depth == 0) return AcquireEffect::Take;
    // The process holds it: lock_rules decide whether it may take it again.
    return model::lock_available(/*holder*/ 1, /*instance*/ 1, recursive) ? AcquireEffect::Reenter : AcquireEffect::SelfDeadlock;
}

std::string release_error(std::string_view lock, int own_depth, int instance, bool recursive) {
    if (own_depth > 0) return "";
    return model::lock_release_error(lock, static_cast<int>(kNoHolder), instance, recursive);
}

HolderChange acquire_change(int64_t instance) { return {kNoHolder, instance}; }
HolderChange release_change(int64_t instance) { return {instance, kNoHolder}; }

z3::expr semaphore_passes(const z3::expr& count) {
    // model::semaphore_available: a positive count.
    return count >= 1;
}

z3::expr in_typecode_range(const model::Typecode& tc, const z3::expr& v) {
    z3::context& ctx = v.ctx();
    return ctx.int_val(tc.min()) <= v && v <= ctx.int_val(tc.max());
}

z3::expr stored_value(const model::Typecode& tc, const z3::expr& v, bool wrap) {
    z3::context& ctx = v.ctx();
    int64_t n;
    if (numeral(v, n)) return ctx.int_val(tc.wrap(n));
    if (tc.bits >= 64 || !wrap) return v;
    z3::expr lo = ctx.int_val(tc.min()), hi = ctx.int_val(tc.max());
    z3::expr span = ctx.int_val(int64_t{1} << tc.bits);
    z3::expr wrapped = z3::mod(v - lo, span) + lo;
    return z3::ite(in_typecode_range(tc, v), v, wrapped);
}

}  // namespace critsec::checker
