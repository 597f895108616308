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
#include <optional>

#include "checker/explorer/prepared_program.hpp"
#include "checker/explorer/properties.hpp"

namespace critsec::checker {

// nullopt when the spec has no `while` loop: then every execution ends, or deadlocks.
std::optional<PropertyResult> check_progress(const PreparedProgram& prepared, const ExplorerSettings& settings);

}  // namespace critsec::checker
