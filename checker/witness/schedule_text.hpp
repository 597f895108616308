#pragma once
// A schedule as one line of text, the `schedule:` line of `critsec outcomes`:
// who moves, in order, each as PROCESS.STEP (`main.1 Adder#1.1 Adder#1.2`),
// a lasso's cycle in brackets then `forever` (`main.1 [Waiter#1.1] forever`).
// Written here and read back here, so that a line `outcomes` prints is always
// one `replay --schedule` takes. Reading checks only the form; whether the
// spec can take those steps is schedule_witness.hpp's question.
#include <string>
#include <vector>

#include "checker/verdict.hpp"
#include "model/diagnostic.hpp"

namespace critsec::checker {

std::string schedule_text(const Witness& w);

struct ScheduleEntry {
    std::string process;  // `Adder#1`, `main`
    int step = 0;         // the step number `critsec show` gives it
    Loc loc;              // where it stands in the text (line 1)
    int length = 1;
};

struct ParsedSchedule {
    std::vector<ScheduleEntry> entries;
    int cycle_from = -1;  // the entry the bracketed cycle starts at, or -1
    Diagnostics diagnostics;
};

// Errors point into the text as a one-line source (column = byte, from 1).
ParsedSchedule parse_schedule(const std::string& text);

}  // namespace critsec::checker
