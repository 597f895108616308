#pragma once
// The shared steps' meaning for the symbolic engines, written once: who may
// take and give back a lock (model/lock_rules.hpp's rules, as terms over a
// lock's holder), when a semaphore wait goes on, what a load may read and what a
// store keeps (typecode.hpp's wrap-around, as a term). The encoder (encoder.hpp)
// builds its events with them, the inductive engine (induction.hpp) its
// transition relations.
#include <z3++.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "model/typecode.hpp"

namespace critsec::checker {

// A lock's holder as a term: an instance, or kNoHolder.
inline constexpr int64_t kNoHolder = -1;

// ---- locks ----

// What an acquire by a process that already holds the lock `own_depth` times does
// (another holder is the interleaving's business: it waits).
enum class AcquireEffect {
    Take,          // a free lock: the critical section starts
    Reenter,       // an RLock its holder takes again: one level deeper, never blocks
    SelfDeadlock,  // a plain Lock its holder takes again: blocks forever
};
AcquireEffect acquire_effect(int own_depth, bool recursive);

// The failure of a release by a process that holds the lock `own_depth` times
// ("" when it holds it). A plain Lock's text depends on whether another process
// holds it, which one path of a symbolic engine does not know: it reads as a
// release of a free lock. (Either way the process fails at that step.)
std::string release_error(std::string_view lock, int own_depth, int instance, bool recursive);

// The holder's value before and after a lock step by `instance`, as the
// transition relation reads them: an acquire needs a free lock, a release is by
// the holder (anything else failed: release_error).
struct HolderChange {
    int64_t before;
    int64_t after;
};
HolderChange acquire_change(int64_t instance);
HolderChange release_change(int64_t instance);

// ---- semaphores ----

// A wait at `count` (the initial count, plus signals, minus waits before it) goes on.
z3::expr semaphore_passes(const z3::expr& count);

// ---- cells ----

// What a load of a `tc` cell may read, and what a store keeps of a value within it.
z3::expr in_typecode_range(const model::Typecode& tc, const z3::expr& v);
// What a store of `v` to a `tc` cell keeps: `v` wrapped to the typecode as
// ctypes does. Without `wrap`, `v` as computed (exact when no store overflows).
z3::expr stored_value(const model::Typecode& tc, const z3::expr& v, bool wrap = true);

}  // namespace critsec::checker
