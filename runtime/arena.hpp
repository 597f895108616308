#pragma once
// The run's shared memory: one mapping made before the first fork holding every
// Value and Array cell (at its C typecode's width), every Lock, RLock and
// Semaphore, one slot per process instance (pid, what it is doing, its error)
// and the event log. Reset, not remapped, between runs.
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "model/program.hpp"
#include "runtime/shared_mapping.hpp"
#include "runtime/sync.hpp"

namespace critsec::runtime {

// What a process instance is doing, as the supervisor sees it.
// Signalled: ended by a signal (terminate(), kill()), `end_signal` says which.
enum class SlotStatus : int32_t { Unused, Running, Blocked, Sleeping, Finished, Failed, Signalled };

inline constexpr int kErrorBytes = 320;
inline constexpr int kWhatBytes = 112;
inline constexpr int kSpinBytes = 192;

struct InstanceSlot {
    std::atomic<int32_t> pid;
    std::atomic<int32_t> status;       // SlotStatus
    std::atomic<int32_t> waiting_on;   // object index while Blocked, -1 otherwise
    std::atomic<uint32_t> go;          // litmus mode: bumped to start the worker (kept across resets)
    std::atomic<uint32_t> state_size;  // litmus mode: bytes of its start state
    std::atomic<uint32_t> exiting;     // litmus mode: the worker exits after this run, or has (kept across resets)
    // The signal main sends the process (terminate(), kill()), set with main's step
    // and before it is sent (OsWorld::send_signal); 0 for none: until then its steps
    // need not ask the kernel whether a SIGTERM is pending (a system call a step).
    std::atomic<uint32_t> signalled;
    int32_t failed_assert;             // AssertInfo index when an assert failed, -1 otherwise
    int32_t end_signal;                // Signalled: the signal
    char error[kErrorBytes];           // NUL-terminated
    // The process's proof that it spins (spin_watch.hpp): the header's `changes` + 1 at
    // which it was proven, 0 for none; `spin` says where and what it repeats. Written by
    // the process itself, rarely: `spin` first, then `spin_epoch`.
    std::atomic<uint64_t> spin_epoch;
    char spin[kSpinBytes];  // NUL-terminated: "at line 4\nre-reads ready.value = 0"
};

// One shared step, written at index `seq` of the log.
struct EventRecord {
    std::atomic<uint64_t> seq_plus_one;  // 0: never written (or lost to a kill mid-write)
    int32_t instance;
    int32_t pc;
    int32_t step;  // the step's number as `critsec show` gives it (0: none)
    char what[kWhatBytes];
};

struct ArenaHeader {
    std::atomic<uint64_t> seq;  // the global step clock: the event log's sequence numbers
    // Held by a step from its sequence number to the end of its shared access (a load, a
    // store, a lock's or semaphore's change of hands): step_lock.hpp.
    std::atomic<uint32_t> step_lock;
    // Bumped after every step that changed what another process could see: a store of a
    // new value, an acquire or release, a file write, open or close, a print, a sleep, a
    // start or join, a process's end. A spin proven within one value of it is a spin
    // forever, as long as it stays (spin_watch.hpp).
    std::atomic<uint64_t> changes;
    std::atomic<uint64_t> run_seed;  // this run's seed (draws and perturbation in reused workers)
    std::atomic<int32_t> shell_pid;  // main's parent
    std::atomic<int32_t> main_pid;
    // litmus mode
    std::atomic<uint32_t> done;        // bumped by a worker whenever it ends a run
    std::atomic<uint32_t> main_waits;  // the supervisor sleeps on `done`: wake it
    std::atomic<uint32_t> printed;     // prints sent through the print channel: drain when it moved
    // Held by a file step from its sequence number to its last system call: Linux does not
    // make a read atomic against a write to the same file (ext4 reads take no inode lock),
    // while the model's file steps are atomic and their log order must be their real order.
    SharedLock file_steps;
};

class Arena {
public:
    // `state_bytes`: room for each instance's start state (litmus mode), 0 if none.
    Arena(const model::Program& program, int instances, int event_capacity, size_t state_bytes = 0);

    ArenaHeader& header() const { return *header_; }
    InstanceSlot& slot(int instance) const { return slots_[instance]; }
    int instances() const { return instances_; }

    int64_t load(int object, int64_t cell) const;
    void store(int object, int64_t cell, int64_t value) const;  // value already wrapped
    SharedLock& lock(int object) const;
    SharedSemaphore& semaphore(int object) const;

    EventRecord* events() const { return events_; }
    char* state_buffer(int instance) const { return states_ + state_bytes_ * static_cast<size_t>(instance); }
    size_t state_bytes() const { return state_bytes_; }
    int event_capacity() const { return event_capacity_; }

    // Back to the program's initial state: cells, locks, semaphores, slots, log.
    // Only while no process of a run is alive.
    void reset();

    size_t bytes() const { return mapping_.size(); }

private:
    struct Placement {
        size_t offset = 0;
        int width = 0;  // bytes per cell
        bool is_signed = true;
    };
    void* at(size_t offset) const { return static_cast<char*>(mapping_.data()) + offset; }

    const model::Program& program_;
    int instances_;
    int event_capacity_;
    std::vector<Placement> placement_;  // by object
    SharedMapping mapping_;
    ArenaHeader* header_ = nullptr;
    InstanceSlot* slots_ = nullptr;
    EventRecord* events_ = nullptr;
    size_t state_bytes_;
    char* states_ = nullptr;
};

}  // namespace critsec::runtime
