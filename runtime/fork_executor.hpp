#pragma once
// Executes a spec for real, once per call, with fresh processes every run:
// main is interpreted by the calling (supervising) process, every p.start() is a
// fork(), p.join() is waitpid. The arena, the private folder and the print pipe
// are made once, before the first fork, and reset between runs.
//
// The supervisor never blocks in the OS while a run lives: it polls the print
// pipe and the children's pidfds, notices a deadlock (every living process
// blocked, or no step for the no-progress timeout), a run past its time cap and
// Ctrl-C, and then kills the run's process group. Every child is reaped before
// run() returns.
#include <cstdint>
#include <string>
#include <vector>

#include "model/program.hpp"
#include "runtime/arena.hpp"
#include "runtime/child_process.hpp"
#include "runtime/executor.hpp"
#include "runtime/file_sandbox.hpp"
#include "runtime/print_channel.hpp"
#include "runtime/run_options.hpp"
#include "runtime/run_result.hpp"

namespace critsec::runtime {

class ForkExecutor final : public Executor {
public:
    // Throws SpecRefused (over a cap, a file outside its folder) before any process exists.
    ForkExecutor(const model::Program& program, RunOptions options);
    ForkExecutor(const ForkExecutor&) = delete;
    ForkExecutor& operator=(const ForkExecutor&) = delete;

    RunResult run(uint64_t run_seed) override;
    const std::string& folder() const { return sandbox_.path(); }

private:
    friend class ForkRun;
    const model::Program& program_;
    RunOptions options_;
    Arena arena_;
    FileSandbox sandbox_;
    PrintChannel prints_;
    ProcessGroup group_;
};

// The number of process instances a run of `program` has (main included), or
// SpecRefused when over `max_processes`.
int checked_instance_count(const model::Program& program, int max_processes);
// Validates every File name; SpecRefused when one is not inside the private folder.
void check_file_names(const model::Program& program);

}  // namespace critsec::runtime
