#pragma once
// One real run of a spec from its seed: fresh processes every run (ForkExecutor),
// or processes forked once and reused between barriers (LitmusExecutor).
#include <cstdint>

#include "runtime/run_result.hpp"

namespace critsec::runtime {

class Executor {
public:
    virtual ~Executor() = default;
    virtual RunResult run(uint64_t run_seed) = 0;
};

}  // namespace critsec::runtime
