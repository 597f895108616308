#pragma once
// Trace validation: a real run's event log (who took which step, in sequence
// order) replayed step by step through the model's own semantics
// (model::execute_step on a MemoryWorld, the run's draws), which must do the
// same step at the same pc and end with the same outcome text the run reports.
//
// The runtime numbers a step when it takes its sequence number, not when memory
// or the kernel saw it: a racy load and store a few nanoseconds apart may be
// logged in the wrong order, and a file step's number is taken before its system
// call, so a process preempted in between is logged several places early. When
// the log does not replay but moving a few steps a few places (never past a step
// of their own process) does, and the outcome then agrees, the run is reported
// as `log order ambiguous`, never as validated; anything else is a divergence,
// reported at the step where the log and the model first part.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/program.hpp"
#include "runtime/run_result.hpp"

namespace critsec::compare {

enum class TraceVerdict {
    Replays,         // every logged step replays, and the model ends as the run did
    OrderAmbiguous,  // it replays once a few steps are moved a few places (see TraceCheck::moved)
    Diverges,        // the model parts from the log (see the divergence)
    NotChecked,      // the log is incomplete (steps past its capacity), or the run did not end
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
    // OrderAmbiguous: the steps moved (their logged seq) and by how many places (negative: earlier).
    struct Move {
        uint64_t seq;
        int by;
    };
    std::vector<Move> moved;
    std::string note;  // NotChecked: why
};

// `observed`: the run's outcome in the model's terms (observed_outcome_text).
TraceCheck validate_trace(const model::Program& program, const runtime::RunResult& run, const std::string& observed);

}  // namespace critsec::compare
