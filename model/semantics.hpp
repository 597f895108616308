#pragma once
// The one definition of what every instruction does. The fork runtime runs it
// against real shared memory, locks and files; the explorer and the checker's
// witness replay run it against an in-memory world. Neither decides on its own
// what a step means.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/program.hpp"

namespace critsec::model {

// One open() of one file, private to the process that made it: Python's file object.
struct OpenFile {
    int object = -1;
    FileMode mode;
    int64_t offset = 0;
    bool open = true;
    int world_handle = -1;  // the world's own handle (a real fd in the runtime)
    // Where Python's text layer has read ahead to: readline() reads 8 KiB chunks, and a
    // write() after it lands there, not after the line. -1: nothing read ahead.
    int64_t ahead = -1;
    // The bytes read ahead and not yet returned (from offset to ahead): the next
    // readline() takes its line from them, without a read(2), if they hold a newline.
    std::string buffered;
};

// A read() or readline() under way. Python reads a file as a loop of read(2) calls
// until one returns nothing (readline stops at a chunk with a newline), and on
// Linux each read(2) samples the file's size before it copies the bytes, without
// a lock in between. So the model takes a read as several steps: a write between
// two read(2) calls is read too, and a write between a size and its copy shows
// its new bytes cut at the old length (`11` written over `2` reads as `1`).
struct ReadInProgress {
    std::string got;       // what the read(2) calls brought so far
    int64_t raw = 0;       // where the next read(2) reads from
    int64_t sampled = -1;  // bytes the current read(2) will copy (its size sample); -1: none yet
};

// What main knows about a process object it created.
struct CreatedProcess {
    int instance;
    std::string label;  // `Adder#3`: the third Adder main created
    std::string name;   // its name: `name=`, or CPython's default `Adder-5` (5: the fifth process main created)
    int process;        // template index
    std::vector<Value> args;
    bool started = false;
    bool joined = false;
    bool daemon = false;  // SIGTERM at main's end (AtExit) instead of a wait
};

struct ProcessState {
    int instance = 0;  // 0 is main
    int process = -1;  // template index; -1 is main
    std::string label = "main";
    std::string name = "MainProcess";  // current_process().name
    int pc = 0;
    std::vector<Value> locals;
    std::vector<Value> globals;
    std::vector<OpenFile> files;
    std::vector<int> held_by_with;          // sync objects to release if the process fails inside `with`
    std::vector<CreatedProcess> created;    // main only
    std::vector<int> created_per_process;   // main only: counters behind `Adder#k`
    int draws = 0;                          // how many randint() this process has drawn
    std::optional<ReadInProgress> reading;  // the read at pc, between its steps
    bool finished = false;
    std::string error;  // set when the process failed (assert, int(), index...)
    // A signal sent to it (terminate(), kill()) that has not ended it yet: it ends
    // by it at a step of its own (end_by_signal), or ends first by itself.
    int pending_signal = 0;
    int end_signal = 0;  // the signal it ended by; its exit code is -end_signal
};

// What a process's exit code is: CPython's Process.exitcode once it has ended.
int64_t exit_code_of(const ProcessState& state);

// The result of a step, for event logs and traces.
struct Event {
    int instance;
    int pc;
    std::string what;  // e.g. "load total.value = 3", "store total.value = 7"
};

enum class StepResult { Ran, Blocked, Failed, Finished };

// The shared world a step acts on. A method that cannot go on yet returns false
// (would block); the runtime's world may block in the OS instead and return true.
class World {
public:
    virtual ~World() = default;
    virtual int64_t load(int object, int64_t cell) = 0;
    virtual void store(int object, int64_t cell, int64_t value) = 0;  // value already wrapped
    virtual bool acquire(int object, int instance) = 0;               // lock, rlock or semaphore wait
    // acquire(False) and acquire(timeout=seconds): takes the object and returns true,
    // or returns false; never blocks the step. Only the runtime waits the seconds.
    virtual bool try_acquire(int object, int instance, double seconds) = 0;
    // Returns "" or an error (a lock not held by this process).
    virtual std::string release(int object, int instance) = 0;
    // File primitives: one system call each in the runtime.
    virtual bool file_exists(int object) = 0;
    virtual int file_open(int object, bool create, bool truncate) = 0;  // a world handle
    virtual std::string file_pread(int handle, int64_t offset, int64_t max_bytes) = 0;
    virtual void file_pwrite(int handle, int64_t offset, const std::string& data) = 0;
    virtual int64_t file_append(int handle, const std::string& data) = 0;  // returns the new end
    virtual int64_t file_size(int handle) = 0;
    virtual void file_close(int handle) = 0;
    virtual void print(int instance, const std::string& line) = 0;
    virtual void sleep(int instance, double seconds) = 0;
    // start(): fork; `child` is the child's initial state, made by the semantics.
    virtual void start(const ProcessState& child) = 0;
    virtual bool join(int instance) = 0;  // false while it runs
    // join(timeout): whether the child has ended, waiting at most `seconds` for it
    // (only the runtime waits; the model answers at once).
    virtual bool try_join(int instance, double seconds) = 0;
    // The child's exit code once it has ended (exit_code_of), nothing while it runs.
    virtual std::optional<int64_t> exit_code(int instance) = 0;
    // Sends a signal to a started child (kill(2) in the runtime); nothing if it has ended.
    virtual void send_signal(int instance, int signal) = 0;
    virtual int64_t cpu_count() = 0;
    virtual std::string pid_name(int instance) = 0;  // `12345` or `Adder#3`
};

// Where randint() values come from: a seeded generator at run time, a fixed
// input vector when replaying a witness.
using DrawSource = std::function<int64_t(int instance, int draw_index, int64_t low, int64_t high)>;

// The initial state of main: its globals are set by its first instructions.
ProcessState initial_main_state(const Program& program);

// Runs local instructions from state.pc up to the next step or the end. Local
// errors (int("x"), a failed index) fail the process.
// The world is needed for cpu_count() and to release `with` locks if the process fails.
void run_locals(const Program& program, ProcessState& state, World& world, const DrawSource& draws);

// Executes the step at state.pc. Blocked leaves the state untouched.
StepResult execute_step(const Program& program, ProcessState& state, World& world, Event* event = nullptr);

const ProcessTemplate& template_of(const Program& program, const ProcessState& state);

// What a process that cannot move waits for: a Lock or Semaphore (`object`) at
// an acquire, or a child (`child`, an instance) at a join. Empty when its next
// instruction is not one that blocks. Charts name the wait-for cycle of a deadlock with it.
struct Waiting {
    enum class Kind { Acquire, Join } kind;
    int object = -1;
    int child = -1;
    Loc loc;
};
std::optional<Waiting> waiting_for(const Program& program, const ProcessState& state);

// The step by which a process that was sent a signal ends (pending_signal): as the
// kernel ends it, wherever it is, releasing nothing (a Lock it holds stays held,
// as in CPython). The runtime's child is ended by the kernel itself; the
// supervisor then records this same end.
void end_by_signal(ProcessState& state, Event* event = nullptr);
std::string signal_name(int signal);

// The process's result when it failed: `AssertionError: lost update`, etc.
// Releases what `with` blocks held, as Python's __exit__ does while the error unwinds.
void fail_process(ProcessState& state, World& world, std::string error);

// The maximum number of bytes a file may hold (a cap for untrusted specs).
inline constexpr int64_t kMaxFileBytes = 1 << 20;
// The chunk Python's text files read at a time (io.TextIOWrapper._CHUNK_SIZE).
inline constexpr int64_t kReadChunk = 8192;

}  // namespace critsec::model
