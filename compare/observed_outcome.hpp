#pragma once
// A real run's outcome written in the checker's terms, so that it can be looked
// up among the outcomes the model predicts: the final shared state (already in
// MemoryWorld::outcome_text's form), `X failed: error` for every process that
// failed, `main prints: ...` for every line main printed, in order, and `deadlock: A, B blocked` (checker::Machine::outcome_text),
// or for a run stopped as a livelock `livelock: A spinning; main, B blocked` (the
// processes that spun, then the others left unfinished; each list in the model's
// process order, `; ... blocked` left out when none was).
//
// Built from what the run reports (final state, problems, main's output, the
// processes left unfinished), not from replaying its log, so that the
// predicted-or-not question does not depend on the trace being right.
#include <string>

#include "model/program.hpp"
#include "runtime/run_result.hpp"

namespace critsec::compare {

// False for runs that did not end on their own (timeout, Ctrl-C): they have no outcome to compare.
bool has_outcome(const runtime::RunResult& run);

std::string observed_outcome_text(const model::Program& program, const runtime::RunResult& run);

}  // namespace critsec::compare
