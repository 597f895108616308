#pragma once
// The shared world kept in memory: what the explorer, witness replay and tests
// run the step semantics against. Copyable, so a search can branch on it.
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "model/process_list.hpp"
#include "model/semantics.hpp"

namespace critsec::model {

struct MemoryFile {
    bool exists = false;
    std::string content;
};

struct PrintedLine {
    int instance;
    std::string text;
};

class MemoryWorld : public World {
public:
    // `cpu_count` is what cpu_count() answers: the model does not ask the machine it
    // runs on, its caller says which machine it predicts for (model/cpu_count.hpp
    // gives this one's, as `critsec run` sees it).
    MemoryWorld(const Program& program, int64_t cpu_count);

    int64_t load(int object, int64_t cell) override;
    void store(int object, int64_t cell, int64_t value) override;
    bool acquire(int object, int instance) override;
    // The model does not wait: a wait that ends in time is an interleaving where the step runs later.
    bool try_acquire(int object, int instance, double) override { return acquire(object, instance); }
    std::string release(int object, int instance) override;
    bool file_exists(int object) override;
    int file_open(int object, bool create, bool truncate) override;
    std::string file_pread(int handle, int64_t offset, int64_t max_bytes) override;
    void file_pwrite(int handle, int64_t offset, const std::string& data) override;
    int64_t file_append(int handle, const std::string& data) override;
    int64_t file_size(int handle) override;
    void file_close(int handle) override;
    void print(int instance, const std::string& line) override;
    void sleep(int, double) override {}
    void start(const ProcessState& child) override;
    bool join(int instance) override;
    // The model does not wait: a wait that sees the child end is an interleaving where the step runs later.
    bool try_join(int instance, double) override { return join(instance); }
    std::optional<int64_t> exit_code(int instance) override;
    void send_signal(int instance, int signal) override;
    int64_t cpu_count() override { return cpu_count_; }
    std::string pid_name(int instance) override;

    // Processes, main first; start() appends children here.
    ProcessList processes;
    std::vector<std::vector<int64_t>> cells;  // by object
    std::vector<int> holder;                  // by object: lock holder instance, or -1
    std::vector<int> hold_count;              // by object: recursion depth, or semaphore count
    std::vector<MemoryFile> files;            // by object
    std::vector<int> handle_object;           // by world handle
    std::vector<PrintedLine> output;

    ProcessState* find(int instance);  // this world's own copy, to change
    const ProcessState* lookup(int instance) const;
    // Whether acquire() would take the object now rather than block: a search asks
    // before it copies a state for a step that would block.
    bool can_acquire(int object, int instance) const;
    // The final state as text, one `name = value` per line: shared cells, files, and main's output.
    std::string outcome_text() const;

private:
    const Program* program_;
    int64_t cpu_count_;
};

// One run under a seeded random scheduler, with randint drawn from the same seed.
struct SimulationResult {
    MemoryWorld world;
    bool deadlock = false;
    std::vector<Event> events;
};
SimulationResult simulate(const Program& program, uint64_t seed, int64_t cpu_count, int max_steps = 100000);

}  // namespace critsec::model
