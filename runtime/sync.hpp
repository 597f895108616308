#pragma once
// Process-shared synchronisation living inside the arena: a robust pthread mutex
// (a holder that dies is noticed, never waited on forever) for Lock and for a
// Value's get_lock() (recursive), and a process-shared POSIX semaphore.
#include <pthread.h>
#include <semaphore.h>

#include <atomic>
#include <cstdint>

namespace critsec::runtime {

struct SharedLock {
    pthread_mutex_t mutex;
    std::atomic<int32_t> holder;  // the instance holding it, -1 when free
    int32_t depth;                // recursion depth (get_lock() is an RLock)
    bool recursive;
    // The holder as the event log has it (step_lock.hpp): set with its acquire's sequence
    // number, cleared with its last release's; -1 when the log says free. `holder` is
    // set earlier, as the kernel hands the mutex over.
    std::atomic<int32_t> logged_holder;
};

enum class AcquireResult {
    Acquired,
    WouldBlock,    // only when not blocking
    HolderDied,    // the previous holder ended while holding it: it is never released
    SelfDeadlock,  // a plain Lock acquired again by its holder: Python blocks forever
};

// Placement-initialises; only while no process uses the lock.
void init_lock(SharedLock& lock, bool recursive);
AcquireResult acquire_lock(SharedLock& lock, int instance, bool block);
// Waits at most `seconds` (acquire(timeout=...)): WouldBlock when the time ran out.
AcquireResult acquire_lock_within(SharedLock& lock, int instance, double seconds);
// False when `instance` does not hold the lock.
bool release_lock(SharedLock& lock, int instance);
// Unlocks one level whatever the bookkeeping says: for the process that owns the
// mutex in the kernel, before the arena is reset under it.
void abandon_lock(SharedLock& lock);

struct SharedSemaphore {
    sem_t sem;
    // The count as the event log has it (step_lock.hpp): the kernel's count drops when
    // sem_wait returns, this one when the acquire takes its sequence number.
    std::atomic<int64_t> logged_value;
};

void init_semaphore(SharedSemaphore& sem, int64_t value);
// False only when not blocking and the count is zero.
bool acquire_semaphore(SharedSemaphore& sem, bool block);
// Waits at most `seconds`: false when the time ran out.
bool acquire_semaphore_within(SharedSemaphore& sem, double seconds);
// False when the count would overflow.
bool release_semaphore(SharedSemaphore& sem);
int semaphore_value(SharedSemaphore& sem);

}  // namespace critsec::runtime
