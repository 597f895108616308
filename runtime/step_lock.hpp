#pragma once
// The lock every step takes its sequence number under, together with its shared
// access (a load, a store, a lock's or a semaphore's state change): so the event
// log's order is the order in which the accesses really happened, and a log that
// does not replay in the model is a real disagreement, not a misordering.
//
// A futex word in the arena (Drepper's three-state mutex): 0 free, 1 held, 2 held
// with sleepers. It is held for a few instructions, never across a wait, so a
// short spin nearly always gets it; a holder descheduled on a busy machine makes
// the others sleep rather than burn the CPU it needs. A holder that dies with it
// (a run killed) only matters to a run that is over: the arena is reset before
// the next.
#include <atomic>
#include <cstdint>

#include "runtime/futex.hpp"

namespace critsec::runtime {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

inline void lock_steps(std::atomic<uint32_t>& word) {
    uint32_t free = 0;
    if (word.compare_exchange_strong(free, 1, std::memory_order_acquire)) return;
    for (int spin = 0; spin < 100; ++spin) {
        cpu_relax();
        free = 0;
        if (word.load(std::memory_order_relaxed) == 0 && word.compare_exchange_strong(free, 1, std::memory_order_acquire)) return;
    }
    while (word.exchange(2, std::memory_order_acquire) != 0) futex_wait(word, 2, -1);
}

inline void unlock_steps(std::atomic<uint32_t>& word) {
    if (word.exchange(0, std::memory_order_release) == 2) futex_wake_one(word);
}

class StepLockGuard {
public:
    explicit StepLockGuard(std::atomic<uint32_t>& word) : word_(word) { lock_steps(word_); }
    ~StepLockGuard() { unlock_steps(word_); }
    StepLockGuard(const StepLockGuard&) = delete;
    StepLockGuard& operator=(const StepLockGuard&) = delete;

private:
    std::atomic<uint32_t>& word_;
};

}  // namespace critsec::runtime
