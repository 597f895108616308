#pragma once
// Executes a spec for real with fresh processes every run: main is interpreted
// by the calling (supervising) process, every p.start() is a fork(), p.join() is
// waitpid (through a pidfd the supervisor polls). The arena, the private folder
// and the print channel are made once, before the first fork, and reset between runs.
//
// The supervisor never blocks in the OS while a run lives: it polls the print
// channel's wake-up fd and the children's pidfds, notices a deadlock, a run past its time cap and
// Ctrl-C, and then kills the run's process group. Every child is reaped before
// run() returns.
#include <cstdint>
#include <string>

#include "model/program.hpp"
#include "runtime/executor.hpp"
#include "runtime/run_resources.hpp"

namespace critsec::runtime {

class ForkExecutor final : public Executor {
public:
    // Throws SpecRefused (over a cap, a file outside its folder) before any process exists.
    ForkExecutor(const model::Program& program, RunOptions options) : res_(program, std::move(options)) {}

    RunResult run(uint64_t run_seed) override;
    const std::string& folder() const { return res_.sandbox.path(); }

private:
    RunResources res_;
};

}  // namespace critsec::runtime
