#pragma once
// Litmus mode (`critsec run --reuse`): the processes of a spec are forked once
// and reused, run after run, the way litmus7 runs iterations between barriers in
// shared memory. Each instance has a worker process; main's p.start() hands the
// worker its start state through the arena and wakes it (a futex), p.join()
// waits for the worker's end of that run. Shared state and files are reset
// between runs. A run that deadlocks or times out kills every worker; a worker
// that ended a run holding a lock exits (the lock stays taken, as it would with
// a fresh process); both are forked again for the next run.
#include <cstdint>
#include <string>
#include <vector>

#include "model/program.hpp"
#include "runtime/child_process.hpp"
#include "runtime/executor.hpp"
#include "runtime/run_resources.hpp"

namespace critsec::runtime {

class LitmusExecutor final : public Executor {
public:
    LitmusExecutor(const model::Program& program, RunOptions options);
    LitmusExecutor(const LitmusExecutor&) = delete;
    LitmusExecutor& operator=(const LitmusExecutor&) = delete;
    ~LitmusExecutor() override;

    RunResult run(uint64_t run_seed) override;
    const std::string& folder() const { return res_.sandbox.path(); }
    int workers_forked() const { return forks_; }  // over the executor's life

private:
    friend class LitmusRun;
    void ensure_worker(int instance);
    RunResources res_;
    std::vector<ChildProcess> workers_;  // by instance; [0] is main, unused
    int forks_ = 0;
};

}  // namespace critsec::runtime
