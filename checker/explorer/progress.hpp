#pragma once
// Progress: no execution runs forever. Under weak fairness (a process that
// stays able to move eventually moves), an execution that never ends is a
// cycle of the state graph in which every process that is able to move all
// along the cycle does move: a spin-wait nobody releases, two processes each
// waiting for the other's flag. A busy wait that another process will end
// (Peterson's) is no such cycle: the other process stays able to move and
// leaves. The property is decided on the whole state graph with loops
// uncounted, so only where that graph is finite; a violation comes with a
// lasso (a path, then a cycle that repeats forever: Witness::cycle_from).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "checker/explorer/prepared_program.hpp"
#include "checker/explorer/properties.hpp"

namespace critsec::checker {

// One execution that never ends, as an outcome: the state its cycle keeps
// (shared lines, then `livelock: A, B spinning; main blocked`, the text a real
// run stopped by the runtime's livelock watch is given), and its lasso.
struct Livelock {
    std::string text;
    Witness lasso;       // replayed: steps filled in, cycle_from set
    std::string detail;  // "Waiter#1 (line 4) moves forever ..., while main (line 10) waits for good: ..."
};

struct LivelockSearch {
    std::vector<Livelock> livelocks;  // one per component holding a fair cycle, nearest the start first
    bool complete = true;             // the whole state graph was built: no other livelock exists
    std::string incomplete;
    size_t states = 0;
    std::string problem;  // a lasso that did not replay as a cycle: a bug of ours
};

// nullopt when the spec has no `while` loop. At most `max_livelocks` are described.
std::optional<LivelockSearch> find_livelocks(const PreparedProgram& prepared, const DrawPolicy& draws, size_t max_states,
                                             size_t max_livelocks = 1000, const Budget* budget = nullptr);

// nullopt when the spec has no `while` loop: then every execution ends, or deadlocks.
std::optional<PropertyResult> check_progress(const PreparedProgram& prepared, const ExplorerSettings& settings);

}  // namespace critsec::checker
