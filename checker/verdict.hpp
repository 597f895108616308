#pragma once
// What the checker says about a spec: one verdict per property, the outcomes it
// reaches, and a witness for each. Both engines (the Z3 encoding and the
// explicit-state explorer) answer in these terms, so they can be compared.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/program.hpp"

namespace critsec::checker {

class Budget;  // budget.hpp

enum class Verdict {
    Proved,    // holds for every interleaving and input, loops exhausted
    Violated,  // a counterexample exists (see the witness)
    Bounded,   // nothing found within the loop bound, but loops were not exhausted
    Unknown,   // the solver gave up, or the time limit passed
    // An assert no execution reaches: it cannot fail, but only because it never
    // runs (main deadlocks first, or its condition is never true); not a proof.
    Unreached,
};
const char* verdict_name(Verdict v);  // "PROVED", "VIOLATED", ...
std::optional<Verdict> parse_verdict(const std::string& name);

enum class PropertyKind { Assert, LostUpdate, Deadlock, RuntimeError, Progress, MaxInside, ReachInside, Order, Overlap, Prints };

// One step of a witness: who moved, which step, and the shared state after it.
struct TraceStep {
    int instance;
    std::string process;  // `Adder#3`
    int step;             // the step number shown by `critsec show`
    int line;
    std::string action;                               // "load total.value = 3"
    std::map<std::string, std::string> shared_after;  // `total.value` -> "7"
    bool lost_write = false;                          // this store overwrote a value another process never saw
    bool overwritten = false;                         // this store's value was lost: another process's stale store overwrote it
    std::string note;                                 // e.g. "stale: overwrites Adder#1's store at row 3"; may be empty
    // Reads-from, for pictures (rows from 0, -1: none): a load's, the row whose write
    // it read (-1: the initial value); a stale store's, the read it was computed
    // from and the write it overwrote.
    int read_of = -1;
    int computed_from = -1;
    int overwrites = -1;
    // In the causal past of the violation the witness shows (checker/witness/involvement.hpp);
    // a chart folds the rows that are not.
    bool involved = true;
};

// One randint() draw of one process (main's draws are also in Witness::inputs).
struct DrawValue {
    int instance;
    int index;  // the process's n-th draw, from 0
    int64_t value;
};

struct Witness {
    std::vector<int64_t> inputs;  // randint draws of main, in order
    std::vector<TraceStep> steps;
    // Every draw, children's too. Optional: a replay takes a draw from here, then
    // from `inputs` (main), then the range's low end.
    std::vector<DrawValue> draws;
    // A lasso (an execution that never ends): the steps from this index on repeat forever.
    int cycle_from = -1;
};

struct PropertyResult {
    PropertyKind kind;
    std::string name;  // "assert at line 21 (lost update)", "lost update", "deadlock", ...
    Verdict verdict;
    std::string detail;  // why, in one line: "Adder#2's store of total.value overwrote Adder#1's"
    std::optional<Witness> witness;
    // How `# expect:` lines name it: "assert@21", "lost-update", "deadlock", "runtime-error",
    // "max-inside Printer 13-15", ... (may be empty).
    std::string key;
};

// A reachable final state: shared cells and files, and what main printed after its joins.
struct Outcome {
    std::string text;     // canonical rendering, one `name = value` per line
    bool serial = false;  // reached by some serial execution (each process body whole)
    Witness witness;
};

// The last line of an outcome that never ends, as the checker predicts it and a
// real run stopped by the livelock watch shows it: `livelock: A, B spinning; main blocked`.
std::string livelock_line(const std::vector<std::string>& spinning, const std::vector<std::string>& blocked);

struct CheckOptions {
    int bound = 8;  // loop unrolling bound
    double timeout_seconds = 60;
    std::optional<std::vector<int64_t>> fixed_inputs;  // main's randint draws, in order
    // A child's randint draws, by its label (`Adder#2`), in order: what one real run's
    // children drew (compare --cpython), for the outcomes of that run alone.
    std::map<std::string, std::vector<int64_t>> child_draws;
    const Budget* budget = nullptr;                    // time and memory for the whole command (nullptr: unlimited)
};

}  // namespace critsec::checker
