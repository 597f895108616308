#include "model/lock_rules.hpp"

#include "model/python_errors.hpp"

namespace critsec::model {

bool lock_available(int holder, int instance, bool recursive) { return holder == -1 || (recursive && holder == instance); }

bool semaphore_available(int64_t count) { return count > 0; }

std::string lock_release_error(std::string_view lock, int holder, int instance) {
    if (holder == -1) return errors::release_unlocked(lock);
    if (holder != instance) return errors::release_held_by_other(lock);
    return "";
}

std::string semaphore_release_error(int64_t count) { return count >= kSemaphoreMax ? errors::semaphore_released_too_many_times() : ""; }

}  // namespace critsec::model
