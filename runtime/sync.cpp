#include "runtime/sync.hpp"

#include <cerrno>
#include <climits>
#include <cmath>
#include <ctime>
#include <new>
#include <stdexcept>
#include <string>
#include <system_error>

namespace critsec::runtime {

namespace {
void check(int rc, const char* what) {
    if (rc != 0) throw std::system_error(rc, std::generic_category(), what);
}

// The absolute CLOCK_REALTIME time `seconds` from now, as the timed waits take it.
timespec deadline_after(double seconds) {
    timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    double whole = std::floor(seconds);
    long nanos = now.tv_nsec + static_cast<long>((seconds - whole) * 1e9);
    now.tv_sec += static_cast<time_t>(whole) + nanos / 1'000'000'000;
    now.tv_nsec = nanos % 1'000'000'000;
    return now;
}

AcquireResult locked(SharedLock& lock, int instance, int rc, const char* what) {
    switch (rc) {
        case 0:
            lock.holder.store(instance);
            ++lock.depth;
            return AcquireResult::Acquired;
        case EBUSY:
        case ETIMEDOUT: return AcquireResult::WouldBlock;
        case EDEADLK: return AcquireResult::SelfDeadlock;
        case EOWNERDEAD:
            // We own it now; make it usable again, but keep `holder` naming the dead process:
            // the model says a lock its holder never released stays taken.
            pthread_mutex_consistent(&lock.mutex);
            return AcquireResult::HolderDied;
        default: throw std::system_error(rc, std::generic_category(), what);
    }
}
}  // namespace

void init_lock(SharedLock& lock, bool recursive) {
    pthread_mutexattr_t attr;
    check(pthread_mutexattr_init(&attr), "pthread_mutexattr_init");
    check(pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED), "pthread_mutexattr_setpshared");
    check(pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST), "pthread_mutexattr_setrobust");
    // ERRORCHECK: relocking by the holder reports EDEADLK instead of hanging in the kernel.
    check(pthread_mutexattr_settype(&attr, recursive ? PTHREAD_MUTEX_RECURSIVE : PTHREAD_MUTEX_ERRORCHECK), "pthread_mutexattr_settype");
    new (&lock.mutex) pthread_mutex_t;
    int rc = pthread_mutex_init(&lock.mutex, &attr);
    pthread_mutexattr_destroy(&attr);
    check(rc, "pthread_mutex_init");
    lock.holder.store(-1);
    lock.depth = 0;
    lock.recursive = recursive;
    lock.logged_holder.store(-1);
}

AcquireResult acquire_lock(SharedLock& lock, int instance, bool block) {
    int rc;
    do {
        rc = block ? pthread_mutex_lock(&lock.mutex) : pthread_mutex_trylock(&lock.mutex);
    } while (rc == EINTR);
    return locked(lock, instance, rc, "pthread_mutex_lock");
}

AcquireResult acquire_lock_within(SharedLock& lock, int instance, double seconds) {
    timespec deadline = deadline_after(seconds);
    int rc;
    do {
        rc = pthread_mutex_timedlock(&lock.mutex, &deadline);
    } while (rc == EINTR);
    return locked(lock, instance, rc, "pthread_mutex_timedlock");
}

bool release_lock(SharedLock& lock, int instance) {
    if (lock.holder.load() != instance || lock.depth <= 0) return false;
    if (--lock.depth == 0) lock.holder.store(-1);
    int rc = pthread_mutex_unlock(&lock.mutex);
    if (rc == EPERM) {  // the bookkeeping above disagreed with the kernel: restore it
        lock.holder.store(instance);
        ++lock.depth;
        return false;
    }
    check(rc, "pthread_mutex_unlock");
    return true;
}

void abandon_lock(SharedLock& lock) {
    if (lock.depth > 0 && --lock.depth == 0) lock.holder.store(-1);
    pthread_mutex_unlock(&lock.mutex);
}

void init_semaphore(SharedSemaphore& sem, int64_t value) {
    if (value < 0 || value > SEM_VALUE_MAX) throw std::invalid_argument("semaphore value out of range");
    if (sem_init(&sem.sem, /*pshared=*/1, static_cast<unsigned>(value)) != 0)
        throw std::system_error(errno, std::generic_category(), "sem_init");
    sem.logged_value.store(value);
}

bool acquire_semaphore(SharedSemaphore& sem, bool block) {
    for (;;) {
        int rc = block ? sem_wait(&sem.sem) : sem_trywait(&sem.sem);
        if (rc == 0) return true;
        if (errno == EINTR) continue;
        if (errno == EAGAIN) return false;
        throw std::system_error(errno, std::generic_category(), "sem_wait");
    }
}

bool acquire_semaphore_within(SharedSemaphore& sem, double seconds) {
    timespec deadline = deadline_after(seconds);
    for (;;) {
        if (sem_timedwait(&sem.sem, &deadline) == 0) return true;
        if (errno == EINTR) continue;
        if (errno == ETIMEDOUT) return false;
        throw std::system_error(errno, std::generic_category(), "sem_timedwait");
    }
}

bool release_semaphore(SharedSemaphore& sem) {
    if (sem_post(&sem.sem) == 0) return true;
    if (errno == EOVERFLOW) return false;
    throw std::system_error(errno, std::generic_category(), "sem_post");
}

int semaphore_value(SharedSemaphore& sem) {
    int v = 0;
    sem_getvalue(&sem.sem, &v);
    return v;
}

}  // namespace critsec::runtime
