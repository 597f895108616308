#pragma once
// The lost-update pattern in a real run's event log, as the log is replayed in the
// model (trace_validation.hpp): a process's store (or file write) computed from its
// load of the same cell, with another process's write to that cell in between. The
// same pattern the explorer's monitor follows (checker/explorer/machine.cpp), here
// over the steps a run really took, so that `critsec run` can tell whether any of
// its runs lost an update.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "checker/explorer/logging_world.hpp"
#include "model/program.hpp"
#include "model/semantics.hpp"

namespace critsec::compare {

class LostUpdateWatch {
public:
    // One replayed step of `process` (as it is after it): whether it continued a file
    // read that had already returned bytes, the pc it ran, what it did, and the cells
    // and files it read and wrote.
    void step(const model::Program& program, const model::ProcessState& process, bool read_under_way, int pc, const std::string& what,
              const std::vector<checker::Access>& accesses);
    // The first lost update ("Adder#1's store total.value = 9 was computed from a stale
    // read (line 21) ..."), empty when none.
    const std::string& found() const { return found_; }

private:
    struct Read {
        int object;
        int64_t cell;
        bool stale;
    };
    std::map<std::pair<int, int>, Read> reads_;  // by (instance, pc of the load)
    std::string found_;
};

}  // namespace critsec::compare
