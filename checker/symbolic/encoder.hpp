#pragma once
// Symbolic execution of a spec's processes into guarded events, and the SMT
// constraints over them that describe every reachable execution prefix.
//
// Each process instance (static: main's Create order) is executed symbolically
// from its template: locals are Z3 terms or concrete values, randint draws are
// Int inputs in their range, branches on symbolic values split the path (the
// events after them carry the branch condition as their guard), loops whose
// continuation depends on symbolic values are unrolled to `bound` iterations.
// Every atomic step becomes an EncodedEvent with an Int timestamp `t` and a Boolean
// `exec` ("done in this prefix"). Failures (assert, int(), index, ...) are Fail
// events; the end of a path is an End event; a path cut by the bound is a Cut.
//
// The constraints (`Encoding::constraints`) say: exec is closed under program
// order and implies the guard; timestamps follow program order, start and
// join; each executed load reads the latest executed store of its cell before
// it (or the initial value); lock critical sections never overlap; a semaphore
// wait needs a positive count. Values are unbounded Ints, wrapped to the C
// typecode's width at each store (Python ints are exact, ctypes wraps).
#include <z3++.h>

#include <optional>
#include <string>
#include <vector>

#include "checker/symbolic/symbolic_value.hpp"  // NotEncoded
#include "model/program.hpp"

namespace critsec::checker {

class Budget;

enum class EventKind {
    Load,
    Store,
    Acquire,       // starts a lock's critical section (see CriticalSection)
    Reacquire,     // an RLock acquired again by its holder: never blocks
    SelfDeadlock,  // a plain Lock acquired again by its holder: blocks forever
    Release,       // a lock release (may end a CriticalSection)
    Wait,
    Signal,  // semaphore acquire / release
    Other,   // print, sleep, assert that holds, close of a with ...
    Start,
    Join,
    End,   // the process finished (not a step)
    Fail,  // the process failed: at a step (in the schedule) or in local code
    Cut,   // the loop bound cut this path (not a step)
};

struct EncodedEvent {
    EncodedEvent(z3::expr exec_var, z3::expr time_var, z3::expr guard_expr) : guard(guard_expr), exec(exec_var), t(time_var) {}
    int id = 0;
    int instance = 0;
    int pc = -1;   // the instruction (steps and step failures)
    int step = 0;  // `critsec show` step number
    int line = 0;
    EventKind kind = EventKind::Other;
    bool is_step = false;           // appears in a schedule (a real atomic step, or a step that fails)
    int pred = -1;                  // program-order predecessor (a child's first event: main's start of it)
    z3::expr guard;                 // the path leads here (branch conditions, no failure before)
    z3::expr exec;                  // Bool: executed in the prefix
    z3::expr t;                     // Int: position in the global order
    int object = -1;                // Load/Store/Acquire/Release/Wait/Signal
    std::optional<z3::expr> cell;   // Load/Store: Int cell index (0 for a Value)
    std::optional<z3::expr> value;  // Load: the value read; Store: the (wrapped) value written
    std::optional<z3::expr> raw;    // Store: the value before wrapping to the typecode
    std::vector<int> read_from;     // Store: the load events its value was computed from
    int target = -1;                // Start/Join: the instance
    // Fail
    bool is_assert = false;
    int assert_id = -1;
    std::string message;
    std::vector<int> signals;  // Fail: semaphores a `with` held, released by the failure
    // Fail: the lock of a release by a process that does not hold it (`object`
    // is the lock); its text depends on whether another process holds it then.
    bool bad_release = false;
};

// A lock's critical section on one path: from its Acquire to whichever of `ends`
// executes (the release, or a failure that unwinds a `with`); none: held forever.
struct CriticalSection {
    int object;
    int instance;
    int acquire;
    std::vector<int> ends;
};

struct DrawVar {
    int instance;
    int index;  // the process's draw counter
    z3::expr var;
    int64_t low_hint;  // for replay when the draw is never constrained
};

struct Encoding {
    explicit Encoding(z3::context& c) : ctx(&c) {}
    z3::context* ctx;
    const model::Program* program = nullptr;
    std::vector<EncodedEvent> events;
    std::vector<CriticalSection> intervals;
    std::vector<DrawVar> draws;
    std::vector<z3::expr> side;  // input ranges etc. from the symbolic execution
    int instances = 1;
    std::vector<std::string> labels;          // by instance: "main", "Adder#1", ...
    std::vector<int> template_of;             // by instance: -1 for main
    std::vector<std::vector<int>> events_of;  // by instance, in creation order
    bool bounded = false;                     // some path was cut by the loop bound
    bool wrapped = true;                      // stores wrap to their typecode (else: stored as computed)
    int bound = 8;
    const Budget* budget = nullptr;  // the command's: building the constraints is quadratic and must stop too

    // Throws NotEncoded once the budget is spent. Asked in the constraint builders' outer loops,
    // where one iteration costs far more than a look at the clock.
    void stop_if_spent() const;

    // finished(i) at the end of the prefix: one of its End/Fail events executed.
    z3::expr finished(int instance) const;
    // finished before time t.
    z3::expr finished_before(int instance, const z3::expr& t) const;
    // The well-formedness constraints described above. Without values: only the
    // orderings (program order, locks, semaphores, start/join), guards and
    // reads-from dropped: an over-approximation, so its unsat is a proof.
    std::vector<z3::expr> constraints(bool with_values = true) const;
    // The prefix can go no further: every process finished, blocked, or not started.
    z3::expr terminal() const;
    // terminal, and some started process is unfinished (blocked).
    z3::expr deadlock() const;
    // A lock held at the end of the prefix.
    z3::expr held_at_end(int object) const;
    // A lock held by a process other than `instance` at time t.
    z3::expr held_by_other_at(int object, int instance, const z3::expr& t) const;
    // The value of each cell of each Value/Array at the end of the prefix: [object][cell].
    std::vector<std::vector<z3::expr>> final_cells() const;
    // Children (not main) ran one after another, each whole.
    z3::expr serial() const;
    // Some executed store computes a value outside its typecode's range (before wrapping).
    z3::expr overflow() const;
    // Lost update by S over S2: some load L in read_from(S), L < S2 < S, S2 another instance's store of the cell.
    z3::expr lost_update(int store, int load, int other_store) const;
};

// With `wrap_stores` false, stores keep the value as computed: exact when no
// execution overflows a typecode, which `overflow()` on that encoding decides
// (the first overflowing store of any execution is reached identically by both).
// The symbolic execution stops with NotEncoded once `budget` (if any) is spent.
Encoding encode(z3::context& ctx, const model::Program& program, int bound, bool wrap_stores = true, const Budget* budget = nullptr);

}  // namespace critsec::checker
