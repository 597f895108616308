#pragma once
// The lowered model that both back ends consume: shared objects, and for every
// process template (and main) a control-flow graph of instructions. Instructions
// are either local (free computation, never interleaved) or atomic steps (one
// access to shared state, the unit of interleaving). semantics.hpp gives them
// their meaning, once, for the runtime and the checker alike.
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/source.hpp"
#include "model/value.hpp"

namespace critsec::model {

// ---- shared objects ------------------------------------------------------------------

enum class ObjectKind { Value, Array, Lock, Semaphore, File };

struct SharedObject {
    std::string name;  // as declared: `total`, or `total.get_lock()` for a Value's own lock
    ObjectKind kind;
    Loc loc;
    Typecode typecode{'i', 32, true, "int"};  // Value, Array
    std::vector<int64_t> initial;             // Value (1 cell), Array (n cells)
    int64_t semaphore_initial = 0;            // Semaphore
    bool bounded = false;                     // a BoundedSemaphore: a release past its initial value fails
    bool recursive = false;                   // a Value's get_lock() is an RLock
    std::string file_name;                    // File: the name inside the run's private folder
    std::string file_initial;                 // File: its content before the run ("" and absent if !file_exists)
    bool file_exists = false;
    int cells() const { return static_cast<int>(initial.size()); }
};

// ---- expressions (pure: no shared access, evaluated locally) -----------------------

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

enum class UnaryOp { Neg, Not };
enum class BinaryOp { Add, Sub, Mul, Div, FloorDiv, Mod, Eq, Ne, Lt, Le, Gt, Ge, And, Or };
// ProcessName: `process_name()`, the running process's name (CPython's
// current_process().name); with a process object, that process's (`p.name`).
// Pid with a process object: that child's pid (`p.pid`), None before its start.
enum class Builtin { Int, Str, Len, Abs, Min, Max, Pid, ParentPid, CpuCount, Bool, ProcessName };

struct Var {
    int slot;
    bool global;  // a plain global: every process holds its own copy (fork)
};
struct Const {
    Value value;
};
struct Unary {
    UnaryOp op;
    ExprPtr operand;
};
struct Binary {
    BinaryOp op;
    ExprPtr left, right;
};
struct Call {
    Builtin fn;
    std::vector<ExprPtr> args;
};
struct FString {
    std::vector<ExprPtr> parts;
};  // each part is str()-ed and joined
struct ListOf {
    std::vector<ExprPtr> elements;
};
struct Subscript {
    ExprPtr list;
    ExprPtr index;
};  // a local list, not a shared Array
struct ParamOf {
    ExprPtr process;
    int process_template;
    int param;
};  // `p.n1`: an argument it was created with

struct Expr {
    std::variant<Const, Var, Unary, Binary, Call, FString, ListOf, Subscript, ParamOf> node;
    Loc loc;
};

// ---- instructions --------------------------------------------------------------------

// Local (never interleaved with other processes).
struct Assign {
    Var target;
    ExprPtr value;
};
struct Draw {
    Var target;
    ExprPtr low, high;
};  // randint(low, high): a free input
struct Create {
    Var target;
    int process;
    std::vector<ExprPtr> args;
    ExprPtr name;    // `name=`; null: CPython's default, `Process-3` (the template's default_name, then the creation count)
    ExprPtr daemon;  // `daemon=`; null: False
};  // a process object, not yet started
// `p.daemon = flag` before `p.start()` (after it, CPython's AssertionError).
struct SetDaemon {
    ExprPtr process;
    ExprPtr flag;
};
struct Append {
    Var list;
    ExprPtr value;
};
struct Branch {
    ExprPtr cond;
    int if_false;
};  // falls through when cond holds
struct Jump {
    int target;
    bool back_edge;
};  // back edges close loops

// Atomic steps.
struct Load {
    Var target;
    int object;
    ExprPtr index;
};  // index is null for a Value
struct Store {
    int object;
    ExprPtr index;
    ExprPtr value;
    std::vector<int> read_from;  // pcs of the loads of this same cell the stored value was computed from
};
// How an acquire waits: until it takes the object (`acquire()`, `with`), not at
// all (`acquire(False)`), or up to a time (`acquire(timeout=t)`). The model reads
// a timed acquire as one that does not wait: it takes the object if it is free
// when the step runs and gives False otherwise, and the interleavings in which the
// step runs later are the waits that end in time. So False is predicted whenever
// the object may be held then, however long the timeout.
enum class AcquireWait { Block, Try, Timed };
struct Acquire {
    int object;
    bool by_with;
    AcquireWait wait = AcquireWait::Block;
    ExprPtr timeout;            // Timed: the seconds it waits at most (the runtime waits them)
    std::optional<Var> result;  // Try and Timed: True when it took the object
};  // Lock, RLock or Semaphore
struct Release {
    int object;
    bool by_with;
};
enum class FileMode { R, RPlus, W, WPlus, A, APlus };
struct FileOpen {
    Var target;
    int object;
    FileMode mode;
};
struct FileRead {
    Var target;
    ExprPtr handle;
};
struct FileReadline {
    Var target;
    ExprPtr handle;
};
struct FileWrite {
    ExprPtr handle;
    ExprPtr data;
    std::vector<int> read_from;
};
struct FileSeek {
    ExprPtr handle;
    ExprPtr offset;
};
struct FileClose {
    ExprPtr handle;
    bool by_with;
};
struct Print {
    ExprPtr text;
};
struct Sleep {
    ExprPtr seconds;
};
struct AssertStep {
    ExprPtr cond;
    ExprPtr message;
    int assert_id;
};
struct Start {
    ExprPtr process;
};
// `p.join()`, or `p.join(timeout)`: time is not modelled, so a timed join of a
// child that has not ended returns at once with the child alive, and the
// interleavings in which it runs later are the waits that saw the child end
// (as a timed acquire). The runtime waits the seconds for real.
struct Join {
    ExprPtr process;
    ExprPtr timeout;  // null: waits for the end
};
// `p.is_alive()` and `p.exitcode`: what main learns of a child's end (one step:
// the child's end is shared state). `p.exitcode` is None while it runs, 0 after
// a normal end, 1 after an uncaught exception, -N after signal N.
enum class ProcessQuery { IsAlive, ExitCode };
struct Poll {
    Var target;
    ExprPtr process;
    ProcessQuery query;
};
// `p.terminate()` (SIGTERM) and `p.kill()` (SIGKILL): the signal is sent; the
// child ends by it at a later step of its own (ProcessState::pending_signal),
// wherever it is, holding what it holds.
struct Signal {
    ExprPtr process;
    int signal;
};
// The signals terminate() and kill() send (Linux's numbers, as CPython's exit codes show them).
inline constexpr int kSigTerm = 15;
inline constexpr int kSigKill = 9;
// main's end when a daemon child may still run: CPython's atexit sends SIGTERM to
// every started daemon child still running (the others it joins, as the model
// already lets them run to their end).
struct AtExit {};

using InstrNode = std::variant<Assign, Draw, Create, Append, Branch, Jump, Load, Store, Acquire, Release, FileOpen, FileRead, FileReadline,
                               FileWrite, FileSeek, FileClose, Print, Sleep, AssertStep, Start, Join, SetDaemon, Poll, Signal, AtExit>;

struct Instr {
    InstrNode node;
    Loc loc;
    int step = 0;  // 1-based step number within its process; 0 for local instructions
};

bool is_step(const InstrNode& node);

// ---- processes -----------------------------------------------------------------------

struct ProcessTemplate {
    std::string name;  // `Adder`, or `main`
    Loc loc;
    std::string default_name;              // a process's name before `-N` when none is given: `Process` for a target function, else `name`
    std::vector<std::string> params;       // params occupy the first local slots
    std::vector<std::string> local_names;  // every local slot, params first; `$t3` for temporaries
    std::vector<Instr> code;               // ends where pc == code.size()
    int step_count = 0;
    bool has_loops = false;  // a `while` (back edges the checker must unroll)
};

struct GlobalVar {
    std::string name;
    Loc loc;
};

struct AssertInfo {
    std::string process;
    Loc loc;
    std::string text;  // the condition as written
};

struct Program {
    std::string spec_path;
    std::vector<SharedObject> objects;
    std::vector<GlobalVar> globals;  // plain globals, copied into each child at start()
    ProcessTemplate main;            // main's code starts with the globals' initialisation
    std::vector<ProcessTemplate> processes;
    std::vector<int> instances_per_process;  // how many of each template main creates (static)
    std::vector<AssertInfo> asserts;
    int total_instances() const;
};

// Names for the instances main creates, in creation order: `Adder#1`, `Adder#2`, ...
// Instance 0 is main; `creation_order[i]` is the template index of instance i+1.
struct InstanceTable {
    std::vector<int> template_of;   // by instance; main is -1
    std::vector<std::string> name;  // by instance; "main" for 0
};

// Fills Store::read_from and FileWrite::read_from of every step of `t`: the loads
// (Load, FileRead, FileReadline) whose value may flow into the stored value, through
// locals and plain globals, along any path of the control-flow graph (a may
// analysis, to a fixed point over branches and loops). Both engines take, for
// each pc listed, that load's most recent execution by the storing process.
void compute_read_from(ProcessTemplate& t, size_t global_count);

// Human-readable forms, used by `critsec show` and `--dump model`.
std::string to_string(const Expr& expr, const ProcessTemplate& owner, const Program& program);
std::string describe_step(const Instr& instr, const ProcessTemplate& owner, const Program& program);
const char* mode_name(FileMode mode);

}  // namespace critsec::model
