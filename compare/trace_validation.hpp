#pragma once
// Trace validation: a real run's event log (who took which step, in sequence
// order) replayed step by step through the model's own semantics
// (model::execute_step on a MemoryWorld, the run's draws), which must do the
// same step at the same pc and end with the same outcome text the run reports.
//
// The log's order is the real order of every two steps on the same shared thing
// (the runtime takes a step's number together with its access: runtime/os_world.hpp),
// so the log is replayed exactly as it stands. A log that does not replay is a
// disagreement between the machine and the model, reported at the step where the
// log and the model first part; nothing is reordered to make it fit.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/program.hpp"
#include "runtime/run_result.hpp"

namespace critsec::compare {

enum class TraceVerdict {
    Replays,     // every logged step replays, and the model ends as the run did
    Diverges,    // the model parts from the log (see the divergence)
    NotChecked,  // the log is incomplete (steps past its capacity), or the run was stopped (its steps replay, its end is not checked)
};
const char* trace_verdict_name(TraceVerdict v);

// Where the model parted from the log.
struct TraceDivergence {
    uint64_t seq = 0;  // the logged step's sequence number (0 when at the end)
    int instance = -1;
    std::string process;  // `Adder#2`
    int pc = -1;          // the logged pc
    std::string logged;   // what the log says happened
    std::string model;    // what the model did (or why it could not)
};

struct TraceCheck {
    TraceVerdict verdict = TraceVerdict::NotChecked;
    std::string model_outcome;  // the model's outcome text at the end of the replay
    std::optional<TraceDivergence> divergence;
    // Replays: the run's first lost update (lost_update_watch.hpp), empty when it lost none.
    std::string lost_update;
    std::string note;  // NotChecked: why
};

// `observed`: the run's outcome in the model's terms (observed_outcome_text).
TraceCheck validate_trace(const model::Program& program, const runtime::RunResult& run, const std::string& observed);

}  // namespace critsec::compare
