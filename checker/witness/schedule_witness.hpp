#pragma once
// A schedule read from text (schedule_text.hpp) run in the model: each entry
// names a process by its label and the step it takes, and both must hold at
// that point of the run (the process exists, has not finished, stands at that
// step, and can take it). What comes out is a witness like the checker's, for
// witness_completion and `critsec replay`; what cannot be run is a diagnostic
// at the entry that fails, saying what the process was doing instead.
#include <cstdint>
#include <optional>
#include <vector>

#include "checker/explorer/prepared_program.hpp"
#include "checker/verdict.hpp"
#include "checker/witness/schedule_text.hpp"
#include "model/diagnostic.hpp"

namespace critsec::checker {

struct ScheduledWitness {
    std::optional<Witness> witness;  // steps by instance, `inputs` as given; none when a step is impossible
    Diagnostics diagnostics;
};

// main's draws come from `inputs`, then each range's low end; a child's draw
// takes its range's low end (the schedule line names no draws). The caller
// checks `inputs` against their ranges first (check_main_inputs).
ScheduledWitness witness_of_schedule(const PreparedProgram& prepared, const ParsedSchedule& schedule, const std::vector<int64_t>& inputs);

}  // namespace critsec::checker
