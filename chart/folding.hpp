#pragma once
// A trace with its folded rows (Row::folded) gathered: each run of them becomes
// one line saying which rows and whose steps it stands for, the other rows keep
// their numbers (a note's "row 9" still names the row labelled 9), and the
// processes left with no row drawn lose their columns. The rows are not taken
// out of the execution: the trace is the whole one, only drawn shorter.
#include "chart/sequence_chart.hpp"

namespace critsec::chart {

// The trace as drawn: each run of folded rows one Row with `folded` set, no
// process, and `step` saying what it stands for ("rows 7-26: 20 steps of ...").
Trace gathered(const Trace& trace);

bool any_folded(const Trace& trace);

}  // namespace critsec::chart
