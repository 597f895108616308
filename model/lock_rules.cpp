#include "model/lock_rules.hpp"

#include "model/python_errors.hpp"

namespace critsec::model {

bool lock_available(int holder, int instance, bool recursive) { return holder == -1 || (recursive && holder == instance); }

bool semaphore_available(int64_t count) { return count > 0; }

std::string lock_release_error(std::string_view lock, int holder, int instance, bool recursive) {
    if (holder == instance) return "";
    if (recursive) return errors::rlock_not_owned();
    if (holder == -1) return errors::lock_released_too_many_times();
    return errors::release_held_by_other(lock);
}

int64_t semaphore_max(const SharedObject& semaphore) { return semaphore.bounded ? semaphore.semaphore_initial : kSemaphoreMax; }

// CPython's BoundedSemaphore.release() looks at the count first (sem_getvalue) and
// raises at the bound; an unbounded one is bounded by SEM_VALUE_MAX the same way.
std::string semaphore_release_error(int64_t count, int64_t max) { return count >= max ? errors::semaphore_released_too_many_times() : ""; }

}  // namespace critsec::model
