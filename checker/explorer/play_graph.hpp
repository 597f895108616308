#pragma once
// The whole state graph of a spec as a player walks it (`critsec explore`):
// every state with what each process would do next (its step, the step's
// source line) and the shared state, and every move with who made it, what it
// did and what it broke (an assert, a lost update, a runtime error). Loops are
// uncounted, every move is kept (no reduction): a click in the page is one
// edge. main's draws are fixed (one start state); a child's draws are
// enumerated, one edge each. Past `max_states` the graph is not complete and
// nothing is meant to be drawn from it.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "checker/explorer/machine.hpp"
#include "checker/explorer/state_graph.hpp"

namespace critsec::checker {

struct PlayProcess {
    std::string label;  // `Adder#2`, `main`
    int instance = 0;
    int process = -1;  // template: -1 main, k processes[k]
    enum class Status { Ready, Blocked, Finished, Failed } status = Status::Ready;
    int step = 0;            // the next step's number (Ready, Blocked), as `critsec show` numbers it
    int line = 0;            // and its source line
    std::string action;      // and what it is: "load total.value", "acquire lock"
    bool loop_back = false;  // the next move only closes a loop's iteration (the explorer's marker)
    std::string error;       // Failed: why
};

struct PlayState {
    std::vector<PlayProcess> processes;         // every process created so far, main first
    std::map<std::string, std::string> shared;  // `total.value` -> "7" (replay.hpp's shared_state)
    bool deadlock = false;                      // nobody can move, somebody has not finished
};

struct PlayMove {
    int from = -1, to = -1;
    int instance = 0;
    std::string process;            // its label
    std::string what;               // "load total.value = 3"; a child's draws appended: "(randint: 2)"
    std::vector<std::string> hits;  // property keys this move violates: "assert@37", "lost-update", "runtime-error"
    std::string detail;             // why, for the page's banner
    std::vector<DrawValue> draws;
    // The shared cells it wrote, "object:cell": the page finds the write a stale store overwrote (the lost one).
    std::vector<std::string> writes;
};

struct PlayGraph {
    std::vector<PlayState> states;  // 0 is the start (main's first local code run)
    std::vector<PlayMove> moves;    // grouped by `from`
    std::vector<int64_t> inputs;    // main's draws
    bool complete = true;
    std::string incomplete;  // why not: the size limit, the budget, too many draws
};

// `draws` must fix main's draws (main_inputs or main_choice).
PlayGraph build_play_graph(const PreparedProgram& prepared, const DrawPolicy& draws, size_t max_states, const Budget* budget = nullptr);

// The moves (indices into `moves`) that replay `w` from the start, loop markers
// taken where the witness's process stands at one; empty when it cannot be followed.
std::vector<int> play_path(const PlayGraph& graph, const Witness& w);

}  // namespace critsec::checker
