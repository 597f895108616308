#pragma once
// Waiting on a 32-bit word of the shared arena across processes (not
// FUTEX_PRIVATE: the waiters are different processes).
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdint>

namespace critsec::runtime {

// Sleeps while `word` still holds `expected`, at most `seconds`; returns early on a wake.
inline void futex_wait(std::atomic<uint32_t>& word, uint32_t expected, double seconds) {
    timespec ts{static_cast<time_t>(seconds), static_cast<long>((seconds - std::floor(seconds)) * 1e9)};
    ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT, expected, seconds < 0 ? nullptr : &ts, nullptr, 0);
}

inline void futex_wake_one(std::atomic<uint32_t>& word) {
    ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE, 1, nullptr, nullptr, 0);
}

inline void futex_wake_all(std::atomic<uint32_t>& word) {
    ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE, INT32_MAX, nullptr, nullptr, 0);
}

}  // namespace critsec::runtime
