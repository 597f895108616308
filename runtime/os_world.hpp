#pragma once
// The real operating system as the model's World: the semantics (model/semantics.cpp)
// decides what every step means; this class only supplies its primitives.
// Loads and stores hit the shared arena at the object's typecode width; locks and
// semaphores are the arena's process-shared ones; every file step is one system
// call on a real file of the run's private folder; prints go to the supervisor.
//
// One OsWorld per process. In main (inside the supervising process) nothing may
// block in the OS: acquire() reports "would block" and start/join/sleep go to the
// ProcessHost. In a forked child, acquire() blocks in the kernel, after marking
// the process Blocked in its arena slot so the supervisor can see deadlocks.
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/semantics.hpp"
#include "runtime/arena.hpp"
#include "runtime/file_sandbox.hpp"
#include "runtime/print_channel.hpp"

namespace critsec::runtime {

// What only main does, provided by the executor (fork per run, or reused workers).
class ProcessHost {
public:
    virtual ~ProcessHost() = default;
    virtual void start(const model::ProcessState& child) = 0;
    virtual bool join(int instance) = 0;
    // The child's exit code once it has ended; nothing while it runs.
    virtual std::optional<int64_t> exit_code(int instance) = 0;
    virtual void send_signal(int instance, int signal) = 0;
    // A join(timeout) that timed out: main no longer waits for that child.
    virtual void join_given_up() = 0;
    // main's sleep: supervising the run while the time passes.
    virtual void sleep(double seconds) = 0;
};

class OsWorld final : public model::World {
public:
    // `host` is null in a child; `main_prints` collects main's own prints (main
    // cannot wait for room in a channel it alone drains).
    OsWorld(const model::Program& program, Arena& arena, const FileSandbox& sandbox, const PrintChannel& prints, int instance,
            ProcessHost* host, std::vector<PrintRecord>* main_prints, double time_scale);
    OsWorld(const OsWorld&) = delete;
    OsWorld& operator=(const OsWorld&) = delete;
    ~OsWorld() override;

    // The step clock: every step gets the next global sequence number. A step on shared
    // state takes it together with its access, under the arena's step lock (step_lock.hpp):
    // a load or store with the access, an acquire with the log's record of the new holder
    // (after the kernel handed it over), a release with the hand-back, a failed try once
    // the log agrees that it is taken. A file step takes it under the arena's file-step
    // lock and keeps that lock until end_step(). So the log's order is the real order of
    // every two steps that touch the same thing, and a log replays in the model exactly.
    void begin_step();
    void end_step();
    uint64_t step_seq() { return stamp(); }

    // End of a run in the supervising process: unlock what main still holds (the
    // arena is reset next), close main's files.
    void release_everything();
    bool holds_locks() const { return !held_locks_.empty(); }

    int64_t load(int object, int64_t cell) override;
    void store(int object, int64_t cell, int64_t value) override;
    bool acquire(int object, int instance) override;
    bool try_acquire(int object, int instance, double seconds) override;
    std::string release(int object, int instance) override;
    bool file_exists(int object) override;
    int file_open(int object, bool create, bool truncate) override;
    std::string file_pread(int handle, int64_t offset, int64_t max_bytes) override;
    void file_pwrite(int handle, int64_t offset, const std::string& data) override;
    int64_t file_append(int handle, const std::string& data) override;
    int64_t file_size(int handle) override;
    void file_close(int handle) override;
    void print(int instance, const std::string& line) override;
    void sleep(int instance, double seconds) override;
    void start(const model::ProcessState& child) override;
    bool join(int instance) override;
    bool try_join(int instance, double seconds) override;
    std::optional<int64_t> exit_code(int instance) override;
    void send_signal(int instance, int signal) override;
    int64_t cpu_count() override;
    std::string pid_name(int instance) override;

private:
    uint64_t stamp();
    // Under the step lock, before a step takes its number: a signal main announced
    // (OsWorld::send_signal) ends the process here, as the model ends it at its next move.
    void honour_announced_signal() const;
    void stamp_file_step();
    // A step that others can see (spin_watch.hpp): this process's spin proof is
    // withdrawn before it takes effect, and the arena's `changes` bumped after.
    void withdraw_spin() const;
    void changed() const;
    void set_status(SlotStatus status, int waiting_on = -1);
    [[noreturn]] void block_forever(int object);
    void log_acquired(int object, int instance);
    bool settle_failed_try(int object, int instance);
    bool acquire_lock_object(int object, int instance);
    bool acquire_semaphore_object(int object);
    bool try_lock_object(int object, int instance, double seconds);
    bool try_semaphore_object(int object, double seconds);
    bool main_polls(const std::function<bool()>& try_once, double seconds);
    std::string release_object(int object, int instance);
    std::string real_pids(const std::string& text) const;

    const model::Program& program_;
    Arena& arena_;
    const FileSandbox& sandbox_;
    const PrintChannel& prints_;
    int instance_;
    ProcessHost* host_;
    std::vector<PrintRecord>* main_prints_;
    double time_scale_;
    std::optional<uint64_t> step_seq_;
    bool in_file_step_ = false;    // this process holds the arena's file-step lock
    std::set<int> fds_;            // files this process has open
    std::vector<int> held_locks_;  // lock objects acquired and not released (one entry per level)
    std::set<int> never_free_;     // locks whose holder ended without releasing them
    std::vector<char> read_buffer_;
};

}  // namespace critsec::runtime
