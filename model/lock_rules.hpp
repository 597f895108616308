#pragma once
// Who may take and give back a Lock, a Value's lock (an RLock) and a Semaphore,
// as plain functions of who holds it and how far a semaphore has counted. The
// in-memory world decides every acquire and release with them; the runtime's
// world, whose locks are the kernel's, takes its failures' texts from them; a
// symbolic engine encodes the same conditions.
#include <cstdint>
#include <string>
#include <string_view>

#include "model/program.hpp"

namespace critsec::model {

// The most a Semaphore counts to: CPython's multiprocessing.Semaphore has
// SEM_VALUE_MAX as its maximum, which is INT_MAX on Linux. A release at it fails.
inline constexpr int64_t kSemaphoreMax = 2147483647;

// Whether `instance` takes a lock that `holder` holds (-1: nobody) now, rather than
// waiting: a free lock, or a recursive one it holds itself. A plain Lock its holder
// takes again waits forever, as in Python.
bool lock_available(int holder, int instance, bool recursive);
// Whether an acquire() of a semaphore at `count` goes on now.
bool semaphore_available(int64_t count);

// What `instance` releasing a lock named `lock` that `holder` holds raises; "" when
// the release is allowed (it holds it). CPython's texts, but for a plain Lock that
// another process holds: CPython lets any process release it, the model is stricter,
// and says why.
std::string lock_release_error(std::string_view lock, int holder, int instance, bool recursive);
// The count a release of `semaphore` may not go past: a BoundedSemaphore's
// initial value, else kSemaphoreMax.
int64_t semaphore_max(const SharedObject& semaphore);
// What releasing a semaphore at `count` raises, when `max` is as far as it counts; "" when it may.
std::string semaphore_release_error(int64_t count, int64_t max);

}  // namespace critsec::model
