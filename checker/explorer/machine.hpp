#pragma once
// One global state of a spec as the explorer sees it (the in-memory world, plus
// what the property monitors remember about the path that led there) and its
// moves: a move is one atomic step of one process, then that process's local
// code up to its next step (and the first local code of children it started),
// with every randint drawn there enumerated over its range or taken from the
// fixed inputs. The explorer searches these moves; the witness replay re-runs
// them one by one. Steps run through model::execute_step / run_locals only.
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "checker/explorer/fingerprint.hpp"
#include "checker/explorer/logging_world.hpp"
#include "checker/explorer/prepared_program.hpp"
#include "checker/input_errors.hpp"
#include "checker/verdict.hpp"
#include "model/cpu_count.hpp"

namespace critsec::checker {

// What the explorer watches besides the built-in properties (from `# expect:` lines).
struct Watch {
    struct Region {
        int process;
        int first_line, last_line;
    };  // processes of a template inside lines
    struct Order {
        int first_process, first_line, second_process, second_line;
    };  // line 0 is `end`; first before second
    struct Prints {
        std::string label, text;
    };  // that process prints that line
    std::vector<Region> regions;
    std::vector<Order> orders;
    std::vector<int> overlaps;  // templates: two instances started and unfinished at once
    std::vector<Prints> prints;
    bool empty() const { return regions.empty() && orders.empty() && overlaps.empty() && prints.empty(); }
};

struct DrawPolicy {
    std::optional<std::vector<int64_t>> main_inputs;  // main's draws in order; beyond them draws are enumerated
    // Or main's draws chosen by a function (index, low, high): one sample input vector.
    std::function<int64_t(int, int64_t, int64_t)> main_choice;
    std::map<std::string, std::vector<int64_t>> child_draws;  // by label, in order (CheckOptions::child_draws)
    int64_t max_branching = 100000;  // draw combinations one move may enumerate
};

// Runs one schedule of the spec with main's draws fixed to `inputs` and throws
// InputOutOfRange at the first of them outside its randint's range.
void check_main_inputs(const PreparedProgram& prepared, const std::vector<int64_t>& inputs);

struct LoadRecord {
    int object = -1;  // -1: not loaded
    int64_t cell = 0;
    bool stale = false;  // another process wrote the cell since
};

// Machine's bound that counts no loop iterations.
inline constexpr int kLoopsUncounted = 0;

struct ProcMonitor {
    std::vector<int> loop_count;    // by loop: iterations completed since the loop was entered
    std::vector<LoadRecord> loads;  // by tracked load
};

struct MachineState {
    explicit MachineState(const model::Program& program) : world(program, model::machine_cpu_count()) {}  // predicts for this machine
    LoggingWorld world;
    std::vector<ProcMonitor> mon;               // by instance
    std::vector<std::string> main_prints;       // every line main printed, in order: part of the outcome
    std::vector<char> printed;                  // by Watch::prints
    std::vector<std::vector<char>> order_done;  // by Watch::orders, by instance: did its `first` event
    std::vector<char> order_broken;             // by Watch::orders: a `second` event came too early
    int running = -1;                           // serial mode: the child in the middle of its body
};

struct Move {
    int instance;  // -1: main's first local code
    std::vector<DrawValue> draws;
    bool marker = false;  // a loop marker: not a step of the spec
};

struct Transition {
    Transition(MachineState state, int instance) : next(std::move(state)), move{instance, {}} {}
    MachineState next;
    Move move;
    int pc_before = -1;
    model::StepResult outcome = model::StepResult::Ran;
    model::Event event{};
    std::vector<Access> accesses;  // kept only when the machine follows lost updates
    bool lost_update = false;
    std::string lost_detail;
    int failed_assert = -1;     // assert id
    std::string runtime_error;  // "Adder#2: ValueError: ..." when a process failed otherwise
    bool cut = false;           // the loop bound cut this move
    std::string cut_loop;       // which loop: "the while loop at line 12 of Counter"
    bool is_private = false;    // commutes with every other process's steps, invisible to the watches
};

class Machine {
public:
    // A `bound` of kLoopsUncounted counts no loop iterations (none is cut, and
    // the count is no part of a state): a loop that returns to a state already
    // seen closes a cycle. Without `lost_updates` the loads' stale flags are not kept (nor part of a state):
    // enough for final outcomes, and states that differ only in them merge.
    Machine(const PreparedProgram& prepared, Watch watch, DrawPolicy draws, int bound, bool serial, bool lost_updates = true);

    const PreparedProgram& prepared() const { return *prepared_; }
    const Watch& watch() const { return watch_; }

    // main's first local code: one transition per draw combination.
    std::vector<Transition> initial() const;
    // Moving the process at `index` of world.processes: empty when it is blocked or done.
    std::vector<Transition> move(const MachineState& state, size_t index) const;
    // Replays one move with its recorded draws (missing ones: main's inputs, then the low end).
    std::optional<Transition> replay(const MachineState& state, int instance, const std::vector<DrawValue>& draws,
                                     const std::vector<int64_t>& main_inputs) const;

    // Clears dead locals and what finished processes no longer need.
    void canonicalize(MachineState& state) const;
    Fingerprint fingerprint(const MachineState& state) const;

    // Watch observations on a state.
    int inside(const MachineState& state, const Watch::Region& region) const;
    bool overlapping(const MachineState& state, int process) const;
    // The final outcome text of a state where nobody can move.
    std::string outcome_text(const MachineState& state) const;
    std::vector<std::string> blocked(const MachineState& state) const;  // labels of unfinished processes
    // A deadlock that only a join(timeout) ends: the labels of the processes that wait, or none.
    std::vector<std::string> waiting_but_for_timeouts(const MachineState& state) const;
    bool step_kind_may_be_private(const MachineState& state, size_t index) const;

private:
    using Lookup = std::function<std::optional<int64_t>(int instance, int index)>;
    std::vector<Transition> run_move(const MachineState& state, size_t index, const Lookup* replay) const;
    Transition signal_end(const MachineState& state, size_t index) const;
    std::vector<Transition> run_locals_enumerated(Transition mid, const std::vector<size_t>& indices, const Lookup* replay) const;
    // The lost-update monitor after a step: its stale stores, its loads, and the loads it made stale.
    void follow_loads(Transition& t, const model::ProcessState& before, size_t index) const;
    // Whether no watch can see the move (and it cuts nothing, loses nothing): then it may be private.
    bool unwatched(const MachineState& state, const Transition& t, const model::ProcessState& now, int process, int line) const;
    // What was printed: the prints watches, and main's lines.
    void note_output(Transition& t) const;
    // The k-th draw of a child, when the policy fixes it (DrawPolicy::child_draws) and it lies
    // in [low, high]; nullopt leaves it to the enumeration.
    std::optional<int64_t> child_draw(model::MemoryWorld& world, int instance, int k, int64_t low, int64_t high) const;
    // Throws TooManyInputs when one move's draws have more combinations than the policy allows.
    void check_branching(const std::vector<std::pair<int64_t, int64_t>>& ranges) const;
    void after_locals(Transition& t, size_t index, bool was_finished) const;
    void watch_events(Transition& t, int instance, int process, int line, bool ended) const;
    bool in_region(const model::ProcessState& p, const Watch::Region& r) const;
    void ensure_monitors(MachineState& state) const;

    const PreparedProgram* prepared_;
    std::vector<char> quiet_ok_;  // by template index: its print-only locals do not tell states apart
    bool ends_observed_ = false;  // some step looks at whether a child has ended (is_alive, exitcode, join(timeout))
    std::vector<char> tried_;     // by object: some acquire of it does not wait (acquire(False), a timeout)
    Watch watch_;
    DrawPolicy draws_;
    int bound_;
    bool serial_;
    bool lost_updates_;
    // Whose hashes a process keeps (model::ProcessList::memo): each machine hashes
    // with its own watches, so no two machines share an owner id.
    uint64_t memo_owner_;
};

}  // namespace critsec::checker
