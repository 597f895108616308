#pragma once
// What every run of a spec shares, made once before the first fork: the arena,
// the private folder, the print channel, the process group.
#include <cstddef>

#include "model/program.hpp"
#include "runtime/arena.hpp"
#include "runtime/child_process.hpp"
#include "runtime/file_sandbox.hpp"
#include "runtime/print_channel.hpp"
#include "runtime/run_options.hpp"

namespace critsec::runtime {

struct RunResources {
    // Throws SpecRefused (over a cap, a file outside its folder) before any process
    // or folder exists.
    RunResources(const model::Program& program, RunOptions options, size_t state_bytes = 0);
    RunResources(const RunResources&) = delete;
    RunResources& operator=(const RunResources&) = delete;

    const model::Program& program;
    RunOptions options;
    Arena arena;
    FileSandbox sandbox;
    PrintChannel prints;
    ProcessGroup group;
};

// The number of process instances a run of `program` has (main included), or
// SpecRefused when over `max_processes`.
int checked_instance_count(const model::Program& program, int max_processes);
// SpecRefused when a File's name is not inside the private folder.
void check_file_names(const model::Program& program);

}  // namespace critsec::runtime
