#include "runtime/os_world.hpp"

#include <fcntl.h>
#include <sched.h>
#include <semaphore.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <system_error>

#include "model/cpu_count.hpp"
#include "model/lock_rules.hpp"
#include "model/python_errors.hpp"
#include "runtime/clock.hpp"
#include "runtime/pid_marks.hpp"
#include "runtime/step_lock.hpp"
#include "runtime/termination.hpp"

namespace critsec::runtime {

static_assert(SEM_VALUE_MAX == model::kSemaphoreMax, "the model's semaphores count as far as the kernel's");

namespace {
// How often a failed try waits for a holder to log its acquire before it is logged anyway
// (only a holder stopped between the kernel's hand-over and its number: a run being killed).
constexpr int kSettleRounds = 100'000;

// A failed system call inside a step: the semantics turns it into the process's error.
[[noreturn]] void os_error(const std::string& what) {
    throw std::runtime_error(model::errors::os_error(errno, std::strerror(errno), what));
}

void sleep_for(double seconds) {
    if (!(seconds > 0)) return;
    timespec ts;
    ts.tv_sec = static_cast<time_t>(seconds);
    ts.tv_nsec = static_cast<long>((seconds - std::floor(seconds)) * 1e9);
    while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}
}  // namespace

OsWorld::OsWorld(const model::Program& program, Arena& arena, const FileSandbox& sandbox, const PrintChannel& prints, int instance,
                 ProcessHost* host, std::vector<PrintRecord>* main_prints, double time_scale)
    : program_(program),
      arena_(arena),
      sandbox_(sandbox),
      prints_(prints),
      instance_(instance),
      host_(host),
      main_prints_(main_prints),
      time_scale_(time_scale) {}

OsWorld::~OsWorld() {
    end_step();
    // main's world may end early (an exception out of a run): what it holds must be
    // let go before the arena is reset. A child's locks stay taken, as in the model.
    if (host_) release_everything();
    for (int fd : fds_) ::close(fd);
}

void OsWorld::begin_step() {
    end_step();
    step_seq_.reset();
}

void OsWorld::end_step() {
    if (!in_file_step_) return;
    in_file_step_ = false;
    abandon_lock(arena_.header().file_steps);
}

void OsWorld::release_everything() {
    for (int object : held_locks_) abandon_lock(arena_.lock(object));
    held_locks_.clear();
    for (int fd : fds_) ::close(fd);
    fds_.clear();
    never_free_.clear();
}

uint64_t OsWorld::stamp() {
    if (!step_seq_) step_seq_ = arena_.header().seq.fetch_add(1);
    return *step_seq_;
}

void OsWorld::stamp_file_step() {
    if (!in_file_step_) {
        // A holder that died mid-step (a run killed) leaves the mutex to us: either way we own it.
        acquire_lock(arena_.header().file_steps, instance_, true);
        in_file_step_ = true;
    }
    stamp();
}

void OsWorld::withdraw_spin() const {
    std::atomic<uint64_t>& proof = arena_.slot(instance_).spin_epoch;
    if (proof.load(std::memory_order_relaxed) != 0) proof.store(0);
}

void OsWorld::changed() const { arena_.header().changes.fetch_add(1); }

void OsWorld::set_status(SlotStatus status, int waiting_on) {
    InstanceSlot& slot = arena_.slot(instance_);
    slot.waiting_on.store(waiting_on);
    slot.status.store(static_cast<int32_t>(status));
}

void OsWorld::block_forever(int object) {
    set_status(SlotStatus::Blocked, object);
    wait_for_termination();  // the supervisor sees a deadlock and kills the run, or main terminates this child
}

void OsWorld::honour_announced_signal() const {
    if (instance_ == 0 || step_seq_) return;  // main is not signalled; a step numbered already goes on
    if (uint32_t s = arena_.slot(instance_).signalled.load(std::memory_order_relaxed)) throw Terminated{static_cast<int>(s)};
}

int64_t OsWorld::load(int object, int64_t cell) {
    StepLockGuard in_order(arena_.header().step_lock);
    honour_announced_signal();
    stamp();
    return arena_.load(object, cell);
}

void OsWorld::store(int object, int64_t cell, int64_t value) {
    StepLockGuard in_order(arena_.header().step_lock);
    honour_announced_signal();
    stamp();
    // The same value again changes nothing: a spin may write what is already there.
    if (arena_.load(object, cell) == value) {
        arena_.store(object, cell, value);
        return;
    }
    withdraw_spin();
    arena_.store(object, cell, value);
    changed();
}

void OsWorld::log_acquired(int object, int instance) {
    StepLockGuard in_order(arena_.header().step_lock);
    stamp();
    if (program_.objects.at(object).kind == model::ObjectKind::Semaphore) arena_.semaphore(object).logged_value.fetch_sub(1);
    else arena_.lock(object).logged_holder.store(instance);
}

// The try failed in the kernel; the log must not show the object free at the failure's
// number. It can, for a moment: a process the kernel handed it to has not yet taken its
// acquire's number. Then the failure waits for it (the step lock is all that needs),
// and tries once more.
bool OsWorld::settle_failed_try(int object, int instance) {
    bool is_semaphore = program_.objects.at(object).kind == model::ObjectKind::Semaphore;
    for (int round = 0;; ++round) {
        {
            StepLockGuard in_order(arena_.header().step_lock);
            bool last = round >= kSettleRounds;
            if (is_semaphore) {
                SharedSemaphore& sem = arena_.semaphore(object);
                if (sem.logged_value.load() <= 0 || last) {
                    stamp();
                    return false;
                }
                if (acquire_semaphore(sem, false)) {
                    stamp();
                    sem.logged_value.fetch_sub(1);
                    return true;
                }
            } else {
                SharedLock& lock = arena_.lock(object);
                if (never_free_.count(object) || lock.logged_holder.load() != -1 || last) {
                    stamp();
                    return false;
                }
                AcquireResult r = acquire_lock(lock, instance, false);
                if (r == AcquireResult::Acquired) {
                    held_locks_.push_back(object);
                    stamp();
                    lock.logged_holder.store(instance);
                    return true;
                }
                if (r == AcquireResult::HolderDied) {  // a holder killed before its number: the run is ending
                    held_locks_.push_back(object);
                    never_free_.insert(object);
                    stamp();
                    return false;
                }
            }
        }
        ::sched_yield();
    }
}

bool OsWorld::acquire(int object, int instance) {
    withdraw_spin();
    bool ok = program_.objects.at(object).kind == model::ObjectKind::Semaphore ? acquire_semaphore_object(object)
                                                                               : acquire_lock_object(object, instance);
    if (!ok) return false;
    changed();
    set_status(SlotStatus::Running);
    log_acquired(object, instance);
    return true;
}

bool OsWorld::acquire_lock_object(int object, int instance) {
    SharedLock& lock = arena_.lock(object);
    bool in_main = host_ != nullptr;
    if (never_free_.count(object)) return false;  // main only: children never come back
    AcquireResult r = acquire_lock(lock, instance, false);
    if (r == AcquireResult::WouldBlock) {
        set_status(SlotStatus::Blocked, object);
        if (in_main) return false;
        r = acquire_lock_unless_terminated(lock, instance);
    }
    if (r == AcquireResult::Acquired) {
        held_locks_.push_back(object);
        return true;
    }
    // The holder ended without releasing it (HolderDied), or a plain Lock taken again
    // by its holder (SelfDeadlock): as in Python and in the model, this waits forever.
    if (r == AcquireResult::HolderDied) held_locks_.push_back(object);  // we own the mutex now
    if (!in_main) block_forever(object);
    never_free_.insert(object);
    set_status(SlotStatus::Blocked, object);
    return false;
}

bool OsWorld::acquire_semaphore_object(int object) {
    SharedSemaphore& sem = arena_.semaphore(object);
    if (acquire_semaphore(sem, false)) return true;
    set_status(SlotStatus::Blocked, object);
    if (host_) return false;
    acquire_semaphore_unless_terminated(sem);
    return true;
}

bool OsWorld::try_acquire(int object, int instance, double seconds) {
    withdraw_spin();
    double wait = seconds * time_scale_;
    bool ok = program_.objects.at(object).kind == model::ObjectKind::Semaphore ? try_semaphore_object(object, wait)
                                                                               : try_lock_object(object, instance, wait);
    if (ok) log_acquired(object, instance);
    else ok = settle_failed_try(object, instance);
    if (ok) changed();
    set_status(SlotStatus::Running);
    return ok;
}

// A timed wait is time passing, not a process stuck: Sleeping, so that the
// supervisor does not call it a deadlock. Main may not wait in the kernel: it tries
// again every few milliseconds, supervising the run in between.
bool OsWorld::main_polls(const std::function<bool()>& try_once, double seconds) {
    double until = monotonic_seconds() + seconds;
    for (;;) {
        if (try_once()) return true;
        double left = until - monotonic_seconds();
        if (left <= 0) return false;
        host_->sleep(std::min(left, 0.005));
    }
}

bool OsWorld::try_lock_object(int object, int instance, double seconds) {
    SharedLock& lock = arena_.lock(object);
    if (never_free_.count(object)) return false;
    AcquireResult r = acquire_lock(lock, instance, false);
    if (r == AcquireResult::WouldBlock && seconds > 0) {
        if (host_) {
            auto once = [&] { return (r = acquire_lock(lock, instance, false)) != AcquireResult::WouldBlock; };
            main_polls(once, seconds);
        } else {
            set_status(SlotStatus::Sleeping);
            r = acquire_lock_within(lock, instance, seconds);
        }
    }
    if (r == AcquireResult::Acquired) {
        held_locks_.push_back(object);
        return true;
    }
    if (r == AcquireResult::HolderDied) {  // we own the mutex now, and the lock is never free again (as in the model)
        held_locks_.push_back(object);
        never_free_.insert(object);
    }
    // A plain Lock its holder tries again: CPython waits out the timeout, then says False.
    if (r == AcquireResult::SelfDeadlock && seconds > 0) {
        if (host_) host_->sleep(seconds);
        else sleep_for(seconds);
    }
    return false;
}

bool OsWorld::try_semaphore_object(int object, double seconds) {
    SharedSemaphore& sem = arena_.semaphore(object);
    if (acquire_semaphore(sem, false)) return true;
    if (!(seconds > 0)) return false;
    if (host_) return main_polls([&] { return acquire_semaphore(sem, false); }, seconds);
    set_status(SlotStatus::Sleeping);
    return acquire_semaphore_within(sem, seconds);
}

std::string OsWorld::release(int object, int instance) {
    withdraw_spin();
    std::string error;
    {
        // The number and the hand-back as one: a later acquire's number is then always after it.
        StepLockGuard in_order(arena_.header().step_lock);
        stamp();
        error = release_object(object, instance);
    }
    changed();
    return error;
}

std::string OsWorld::release_object(int object, int instance) {
    const auto& obj = program_.objects.at(object);
    if (obj.kind == model::ObjectKind::Semaphore) {
        // As CPython does: the count is looked at first, then raised (sem_post would
        // fail with EOVERFLOW at the same point: the maximum is SEM_VALUE_MAX).
        // The count the log has: the kernel's may be lower by acquires not yet numbered,
        // which the log puts after this release.
        SharedSemaphore& sem = arena_.semaphore(object);
        int64_t count = sem.logged_value.load();
        std::string error = model::semaphore_release_error(count, model::semaphore_max(obj));
        if (error.empty() && !release_semaphore(sem)) error = model::errors::semaphore_released_too_many_times();
        if (error.empty()) sem.logged_value.fetch_add(1);
        return error;
    }
    SharedLock& lock = arena_.lock(object);
    if (!release_lock(lock, instance)) {
        std::string error = model::lock_release_error(obj.name, lock.holder.load(), instance, obj.recursive);
        // Empty: the bookkeeping named this process while the kernel said another holds it.
        if (error.empty()) error = model::lock_release_error(obj.name, instance + 1, instance, obj.recursive);
        return error;
    }
    lock.logged_holder.store(lock.holder.load());  // -1 once the last level is released
    auto it = std::find(held_locks_.rbegin(), held_locks_.rend(), object);
    if (it != held_locks_.rend()) held_locks_.erase(std::next(it).base());
    return "";
}

bool OsWorld::file_exists(int object) {
    stamp_file_step();
    return ::faccessat(sandbox_.dir_fd(), sandbox_.name_of(object).c_str(), F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

int OsWorld::file_open(int object, bool create, bool truncate) {
    stamp_file_step();
    withdraw_spin();
    int fd = ::openat(sandbox_.dir_fd(), sandbox_.name_of(object).c_str(), open_flags(create, truncate), 0644);
    changed();
    if (fd < 0) os_error("open " + sandbox_.name_of(object));
    fds_.insert(fd);
    return fd;
}

std::string OsWorld::file_pread(int handle, int64_t offset, int64_t max_bytes) {
    stamp_file_step();
    if (read_buffer_.size() < static_cast<size_t>(max_bytes)) read_buffer_.resize(static_cast<size_t>(max_bytes));
    ssize_t n;
    do {
        n = ::pread(handle, read_buffer_.data(), static_cast<size_t>(max_bytes), offset);
    } while (n < 0 && errno == EINTR);
    if (n < 0) os_error("read");
    return std::string(read_buffer_.data(), static_cast<size_t>(n));
}

void OsWorld::file_pwrite(int handle, int64_t offset, const std::string& data) {
    stamp_file_step();
    withdraw_spin();
    std::string text = real_pids(data);
    ssize_t n;
    do {
        n = ::pwrite(handle, text.data(), text.size(), offset);
    } while (n < 0 && errno == EINTR);
    changed();
    if (n < 0) os_error("write");
}

int64_t OsWorld::file_append(int handle, const std::string& data) {
    stamp_file_step();
    withdraw_spin();
    std::string text = real_pids(data);
    ssize_t n;
    do {
        n = ::write(handle, text.data(), text.size());  // O_APPEND: one atomic append
    } while (n < 0 && errno == EINTR);
    changed();
    if (n < 0) os_error("write");
    return ::lseek(handle, 0, SEEK_CUR);
}

int64_t OsWorld::file_size(int handle) {
    stamp_file_step();
    struct stat st;
    if (::fstat(handle, &st) != 0) os_error("fstat");
    return st.st_size;
}

void OsWorld::file_close(int handle) {
    stamp_file_step();
    withdraw_spin();
    if (fds_.erase(handle)) ::close(handle);
    changed();
}

void OsWorld::print(int instance, const std::string& line) {
    uint64_t seq = stamp();
    withdraw_spin();  // the output grows: not a cycle
    changed();
    if (main_prints_) {
        main_prints_->push_back(PrintRecord{seq, instance, line});
        return;
    }
    // Under the step lock: one writer at a time, and never killed half-way (main kills
    // with that lock in hand, MainRun::signal_child); the wait for room outside it.
    for (;;) {
        {
            StepLockGuard in_order(arena_.header().step_lock);
            if (prints_.try_send(seq, instance, line)) break;
        }
        prints_.wait_for_room();
    }
    arena_.header().printed.fetch_add(1);
}

void OsWorld::sleep(int instance, double seconds) {
    stamp();
    withdraw_spin();  // time passes: the sleeper may be waiting for it
    changed();
    double scaled = seconds * time_scale_;
    if (host_) {
        host_->sleep(scaled);
        return;
    }
    set_status(SlotStatus::Sleeping);
    sleep_unless_terminated(scaled);
    set_status(SlotStatus::Running);
}

void OsWorld::start(const model::ProcessState& child) {
    stamp();
    withdraw_spin();
    changed();
    if (!host_) throw std::logic_error("only main starts processes");
    host_->start(child);
}

bool OsWorld::join(int instance) {
    if (!host_) throw std::logic_error("only main joins processes");
    if (!host_->join(instance)) {
        set_status(SlotStatus::Blocked, -1);
        return false;
    }
    withdraw_spin();
    changed();
    set_status(SlotStatus::Running);
    stamp();
    return true;
}

// join(timeout): main polls the child's end, supervising the run, until the time is up.
bool OsWorld::try_join(int instance, double seconds) {
    if (!host_) throw std::logic_error("only main joins processes");
    bool ended = main_polls([&] { return host_->join(instance); }, seconds * time_scale_);
    host_->join_given_up();
    withdraw_spin();
    if (ended) changed();
    set_status(SlotStatus::Running);
    stamp();
    return ended;
}

std::optional<int64_t> OsWorld::exit_code(int instance) {
    if (!host_) throw std::logic_error("only main asks a process's exit code");
    stamp();
    return host_->exit_code(instance);
}

void OsWorld::send_signal(int instance, int signal) {
    if (!host_) throw std::logic_error("only main signals processes");
    {
        // Announced with main's number, under the step lock: a load or store of the
        // child numbered after it sees it and does not happen (honour_announced_signal).
        StepLockGuard in_order(arena_.header().step_lock);
        stamp();
        arena_.slot(instance).signalled.store(static_cast<uint32_t>(signal));
    }
    withdraw_spin();
    changed();
    host_->send_signal(instance, signal);
}

int64_t OsWorld::cpu_count() { return model::machine_cpu_count(); }

std::string OsWorld::pid_name(int instance) { return pid_mark(instance); }

std::string OsWorld::real_pids(const std::string& text) const {
    return expand_pid_marks(text, [this](int instance) {
        if (instance < 0) return std::to_string(arena_.header().shell_pid.load());
        if (instance >= arena_.instances()) return std::string("?");
        return std::to_string(arena_.slot(instance).pid.load());
    });
}

}  // namespace critsec::runtime
