#pragma once
// A trace drawn as one chart, whoever made it: the checker's counterexamples
// and outcome witnesses (with the shared state), a real run's event log
// (`run --trace`), a replay on real processes. One column per process and one
// row per step while the columns fit the width; past that, one line per step
// naming its process. The shared state is shown where a step changes it, a
// deadlock ends with who waits for what, and the stale store and the lost
// write carry their marks ([STALE], [LOST]) in every layout, with or without colour.
#include <string>
#include <vector>

#include "chart/palette.hpp"

namespace critsec::chart {

enum class Mark { None, Stale, Lost, Failed };

// A shared cell and its value, as the chart prints them: `total.value`, `14`.
struct Cell {
    std::string name, value;
};

struct Row {
    std::string process;        // the column it is drawn in
    std::string step;           // "2: store total.value = 14"
    Mark mark = Mark::None;
    std::string note;           // a line under the row: why it is marked
    std::vector<Cell> changed;  // the shared cells this row changed, with their new values
    int line = 0;               // the source line of the step
    // Reads-from (rows from 0; -1: none): a load's, the write it read; a stale
    // store's, the read it was computed from and the write it overwrote.
    int read_of = -1;
    int computed_from = -1;
    int overwrites = -1;
    std::string number;         // the row's label; empty: its position, from 1
    // A step the trace's point does not depend on (a counterexample's rows outside
    // the violation's causal past): drawn folded, a run of them as one line.
    bool folded = false;
};

// Who waits, at the end of a trace where nobody can move, and for what.
struct Wait {
    std::string process;
    std::string short_text;  // in the process's column: "waits for lock_b"
    std::string text;        // under it: "acquires lock_b, held by Transfer#2"
    int line = 0;
    std::string on;          // the process it waits on (the holder, the child joined); "" for a semaphore
};

struct Trace {
    std::vector<std::string> processes;  // the columns, in order
    bool has_state = false;              // rows carry the shared state (a model's trace; a run's log does not)
    std::vector<Cell> initial;           // the shared state before the first row
    std::vector<Row> rows;
    int cycle_from = -1;  // a lasso: the rows from this one (0-based) to the end repeat forever
    std::vector<Wait> waits;
    std::vector<std::string> failures;  // "Adder#2: ValueError: ...", in the order they happened
    std::string after_rows;             // a last line of its own ("... 120 more steps, ...")
};

struct Layout {
    size_t width = 100;  // columns of the terminal
    Palette palette;
    bool fold = true;       // folded rows as one line per run (false: every row drawn)
    std::string fold_hint;  // a last line when rows were folded: how to see them
};

std::string render_text(const Trace& trace, const Layout& layout);

// A print's or a write's text may be cut to fit (the full line is in the outcome);
// any other step's text is what its row is about.
bool may_cut(const Row& row);

// The columns: the trace's processes, then any other process a row or a wait names.
std::vector<std::string> lanes_of(const Trace& trace);

// "total.value=14  lock=Adder#2"
std::string cells_text(const std::vector<Cell>& cells);

}  // namespace critsec::chart
