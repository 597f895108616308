#pragma once
// Which steps of a counterexample the violation depends on: its causal past.
//
// A row is involved when the violation's own rows (violation.hpp) depend on it,
// directly or through other rows, by
//   - program order: a process's step depends on its earlier steps (its locals, its path);
//   - start: a child's first step depends on the step that started it;
//   - reads-from: a load or file read depends on the write whose value it read;
//   - overwrites: a write depends on the write to the same cell or file before it
//     (the lost write of a lost update lies there, and a file write keeps the rest
//     of the file);
//   - hand-offs: an acquire or release depends on the step before it that changed
//     the same lock or semaphore (the release that let it through).
// A join is not followed: it needs the child to have finished, not anything the
// child wrote, so a joined child that nothing read from is not involved, nor are
// a process's steps after its last involved one (its prints, say). Per process,
// the involved rows are a prefix of its rows.
//
// Moving a step past another keeps the execution when neither depends on the
// other in the wider order relation: the causal one, plus joins (a join comes
// after the child's last step) and reads before a write (a write comes after
// the loads of the same cell before it, which would read it otherwise).
// shortest_witness.hpp moves the rows not involved as late as it can, so that a
// chart can fold them into one line.
#include <vector>

#include "checker/explorer/replay.hpp"

namespace critsec::checker {

struct Dependencies {  // by row: the earlier rows it depends on
    std::vector<std::vector<int>> causal;       // the list above
    std::vector<std::vector<int>> joined;       // a join's: the child's last row
    std::vector<std::vector<int>> read_before;  // a write's: the loads of its cells since the last write
};

Dependencies dependencies_of(const Replayed& replayed);

// By row: in the causal past of `violation_rows` (which are involved themselves).
std::vector<bool> involved_rows(const Dependencies& deps, const std::vector<int>& violation_rows);

}  // namespace critsec::checker
