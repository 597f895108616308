#include "model/semantics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <new>
#include <optional>

#include "model/evaluator.hpp"
#include "model/python_errors.hpp"
#include "model/python_numbers.hpp"
#include "model/value_sizes.hpp"

namespace critsec::model {
namespace {

const ProcessTemplate& code_of(const Program& program, const ProcessState& state) {
    return state.process < 0 ? program.main : program.processes[state.process];
}

void assign(ProcessState& state, const Var& var, Value value) {
    auto& slots = var.global ? state.globals : state.locals;
    slots.at(var.slot) = std::move(value);
}

int64_t int_of(const Value& v) { return Evaluator::int_result(v); }

CreatedProcess& created_of(ProcessState& state, const Value& proc) {
    int instance = proc.as<ProcRef>().instance;
    for (auto& c : state.created)
        if (c.instance == instance) return c;
    throw RuntimeError{"internal: unknown process object"};
}

OpenFile& open_file_of(ProcessState& state, const Value& handle) {
    int index = handle.as<FileHandle>().open_index;
    OpenFile& f = state.files.at(index);
    if (!f.open) throw RuntimeError{errors::closed_file()};
    return f;
}

bool readable(FileMode m) { return m != FileMode::W && m != FileMode::A; }
bool writable(FileMode m) { return m != FileMode::R; }

int64_t cell_index(const SharedObject& object, const ExprPtr& index, const Evaluator& ev) {
    if (!index) return 0;
    int64_t i = int_of(ev.eval(*index));
    int64_t n = object.cells();
    if (i < 0) i += n;  // Python's negative indices
    if (i < 0 || i >= n) throw RuntimeError{errors::cell_index_out_of_range(i < 0 ? i - n : i, object.name, n)};
    return i;
}

// acquire(timeout=t)'s wait: CPython waits no time for a negative t (and for a NaN),
// and the runtime caps a wait at a day, past any run's time limit.
double timeout_seconds(const Value& t) {
    double seconds = t.is<double>() ? t.as<double>() : static_cast<double>(int_of(t));
    if (!(seconds > 0)) return 0.0;
    return std::min(seconds, 86400.0);
}

std::string describe_cell(const SharedObject& object, int64_t cell) {
    return object.kind == ObjectKind::Array ? fmt::format("{}[{}]", object.name, cell) : object.name + ".value";
}

// CPython's atexit: SIGTERM to every started daemon child (one still running ends by it).
std::vector<std::string> signal_daemons(ProcessState& main, World& world) {
    std::vector<std::string> out;
    for (const auto& c : main.created)
        if (c.started && c.daemon && !world.exit_code(c.instance)) {
            world.send_signal(c.instance, kSigTerm);
            out.push_back(c.label);
        }
    return out;
}

struct StepVisitor {
    const Program& program;
    ProcessState& state;
    World& world;
    Evaluator& ev;
    std::string& what;
    bool stay = false;  // the step ran, but the instruction is not done: a read between its read(2) calls

    bool operator()(const Load& l) {
        const SharedObject& obj = program.objects.at(l.object);
        int64_t cell = cell_index(obj, l.index, ev);
        int64_t v = world.load(l.object, cell);
        assign(state, l.target, v);
        what = fmt::format("load {} = {}", describe_cell(obj, cell), v);
        return true;
    }
    bool operator()(const Store& s) {
        const SharedObject& obj = program.objects.at(s.object);
        int64_t cell = cell_index(obj, s.index, ev);
        int64_t v = obj.typecode.wrap(ev.eval_stored(*s.value));
        world.store(s.object, cell, v);
        what = fmt::format("store {} = {}", describe_cell(obj, cell), v);
        return true;
    }
    bool operator()(const Acquire& a) {
        const std::string& name = program.objects.at(a.object).name;
        if (a.wait != AcquireWait::Block) {
            bool took = world.try_acquire(a.object, state.instance, a.timeout ? timeout_seconds(ev.eval(*a.timeout)) : 0.0);
            if (a.result) assign(state, *a.result, took);
            what = fmt::format("acquire {} -> {}", name, took ? "True" : "False");
            return true;
        }
        if (!world.acquire(a.object, state.instance)) return false;
        if (a.by_with) state.held_by_with.push_back(a.object);
        if (a.result) assign(state, *a.result, true);
        what = fmt::format("acquire {}", name);
        return true;
    }
    bool operator()(const Release& r) {
        std::string err = world.release(r.object, state.instance);
        if (!err.empty()) throw RuntimeError{err};
        if (r.by_with && !state.held_by_with.empty()) state.held_by_with.pop_back();
        what = fmt::format("release {}", program.objects.at(r.object).name);
        return true;
    }
    bool operator()(const FileOpen& o) {
        const SharedObject& obj = program.objects.at(o.object);
        bool must_exist = o.mode == FileMode::R || o.mode == FileMode::RPlus;
        if (must_exist && !world.file_exists(o.object)) throw RuntimeError{errors::file_not_found(obj.file_name)};
        bool truncate = o.mode == FileMode::W || o.mode == FileMode::WPlus;
        OpenFile f;
        f.object = o.object;
        f.mode = o.mode;
        f.world_handle = world.file_open(o.object, !must_exist, truncate);
        // Python positions an `a`/`a+` handle at the end: a read() right after open returns "".
        if (o.mode == FileMode::A || o.mode == FileMode::APlus) f.offset = world.file_size(f.world_handle);
        state.files.push_back(f);
        assign(state, o.target, FileHandle{static_cast<int>(state.files.size()) - 1});
        what = fmt::format("open {} {}", obj.file_name, mode_name(o.mode));
        return true;
    }
    // One read(2) of Python's read loop, in two steps: the size sample, then the copy
    // of at most that many bytes from the file as it is by then. Returns true when
    // the loop is over: a read(2) found nothing (the end of the file), or, with
    // stop_at_newline, brought a newline. Otherwise `progress` says what the step did.
    bool read_syscall(const OpenFile& f, ReadInProgress& r, int64_t chunk, bool stop_at_newline, std::string& progress) {
        if (r.sampled < 0) {
            int64_t available = world.file_size(f.world_handle) - r.raw;
            if (available <= 0) return true;
            r.sampled = std::min(available, chunk);
            progress = r.sampled < available ? fmt::format("size {}, reads {}", r.raw + available, r.sampled)
                                             : fmt::format("size {}", r.raw + available);
            return false;
        }
        std::string data = world.file_pread(f.world_handle, r.raw, r.sampled);
        r.sampled = -1;
        if (data.empty()) return true;  // truncated since the size sample: read(2) returns 0, the end for Python
        r.raw += static_cast<int64_t>(data.size());
        r.got += data;
        progress = fmt::format("got {:?}", data);
        return stop_at_newline && data.find('\n') != std::string::npos;
    }
    // Takes one step of the read loop, which starts where the raw reads left off (after
    // what is buffered). Returns what the loop read once it is over; until then the
    // instruction stays at its pc and the step says how far it got.
    std::optional<ReadInProgress> read_loop_step(const OpenFile& f, int64_t chunk, bool stop_at_newline, const char* verb) {
        if (!state.reading) state.reading = ReadInProgress{"", f.ahead >= 0 ? f.ahead : f.offset, -1};
        std::string progress;
        if (!read_syscall(f, *state.reading, chunk, stop_at_newline, progress)) {
            stay = true;
            what = fmt::format("{} {}: {}", verb, program.objects.at(f.object).file_name, progress);
            return std::nullopt;
        }
        std::optional<ReadInProgress> done = std::move(state.reading);
        state.reading.reset();
        return done;
    }
    bool operator()(const FileRead& r) {
        OpenFile& f = open_file_of(state, ev.eval(*r.handle));
        if (!readable(f.mode)) throw RuntimeError{errors::not_readable()};
        std::optional<ReadInProgress> done = read_loop_step(f, kMaxFileBytes, false, "read");
        if (!done) return true;
        std::string data = f.buffered + done->got;
        f.offset = done->raw;
        f.ahead = -1;  // read to the end: nothing is buffered beyond the offset
        f.buffered.clear();
        assign(state, r.target, data);
        what = fmt::format("read {} -> {:?}", program.objects.at(f.object).file_name, data);
        return true;
    }
    bool operator()(const FileReadline& r) {
        OpenFile& f = open_file_of(state, ev.eval(*r.handle));
        if (!readable(f.mode)) throw RuntimeError{errors::not_readable()};
        // The line, however long, up to its newline or the end of the file. Python's
        // text layer reads 8 KiB chunks until it holds a newline (or a read(2) brings
        // nothing); the rest stays buffered, and the next write() lands after it.
        size_t nl = f.buffered.find('\n');
        if (nl == std::string::npos) {
            std::optional<ReadInProgress> done = read_loop_step(f, kReadChunk, true, "readline");
            if (!done) return true;
            f.buffered += done->got;
            f.ahead = done->raw;
            nl = f.buffered.find('\n');
        }
        size_t take = nl == std::string::npos ? f.buffered.size() : nl + 1;
        std::string line = f.buffered.substr(0, take);
        f.buffered.erase(0, take);
        f.offset += static_cast<int64_t>(take);
        assign(state, r.target, line);
        what = fmt::format("readline {} -> {:?}", program.objects.at(f.object).file_name, line);
        return true;
    }
    bool operator()(const FileWrite& w) {
        OpenFile& f = open_file_of(state, ev.eval(*w.handle));
        if (!writable(f.mode)) throw RuntimeError{errors::not_writable()};
        Value data = ev.eval(*w.data);
        if (!data.is<std::string>()) throw RuntimeError{errors::write_argument_type()};
        const std::string& s = data.as<std::string>();
        if (f.ahead >= 0) f.offset = f.ahead;  // after a readline: where Python's buffer left the file position
        f.ahead = -1;
        f.buffered.clear();
        // Subtracted, not added: a seek may have put the offset near 2**63.
        if (f.offset > kMaxFileBytes - static_cast<int64_t>(s.size()))
            throw RuntimeError{errors::file_cap_exceeded(program.objects.at(f.object).file_name, kMaxFileBytes)};
        if (f.mode == FileMode::A || f.mode == FileMode::APlus) {
            f.offset = world.file_append(f.world_handle, s);
        } else {
            world.file_pwrite(f.world_handle, f.offset, s);
            f.offset += static_cast<int64_t>(s.size());
        }
        what = fmt::format("write {} {:?}", program.objects.at(f.object).file_name, s);
        return true;
    }
    bool operator()(const FileSeek& s) {
        OpenFile& f = open_file_of(state, ev.eval(*s.handle));
        int64_t offset = int_of(ev.eval(*s.offset));
        if (offset < 0) throw RuntimeError{errors::negative_seek(offset)};
        f.offset = offset;
        f.ahead = -1;
        f.buffered.clear();
        what = fmt::format("seek {} {}", program.objects.at(f.object).file_name, offset);
        return true;
    }
    bool operator()(const FileClose& c) {
        Value handle = ev.eval(*c.handle);
        OpenFile& f = state.files.at(handle.as<FileHandle>().open_index);
        // Closing twice is allowed in Python.
        if (f.open) {
            world.file_close(f.world_handle);
            f.open = false;
        }
        what = fmt::format("close {}", program.objects.at(f.object).file_name);
        return true;
    }
    bool operator()(const Print& p) {
        std::string line = printed_line(ev.eval(*p.text).as<std::string>());
        world.print(state.instance, line);
        what = fmt::format("print {:?}", line);
        return true;
    }
    bool operator()(const Sleep& s) {
        Value v = ev.eval(*s.seconds);
        auto error = v.is<double>() ? errors::sleep_error(v.as<double>()) : errors::sleep_error(int_of(v));
        if (error) throw RuntimeError{*error};
        double seconds = v.is<double>() ? v.as<double>() : static_cast<double>(int_of(v));
        world.sleep(state.instance, seconds);
        what = fmt::format("sleep {}", python_float_repr(seconds));
        return true;
    }
    bool operator()(const AssertStep& a) {
        Value cond = ev.eval(*a.cond);
        bool holds = ev.eval(Expr{Call{Builtin::Bool, {a.cond}}, {}}).as<bool>();
        (void)cond;
        if (!holds) {
            std::string msg = a.message ? to_python_str(ev.eval(*a.message), [&](int i) { return world.pid_name(i); }) : "";
            throw RuntimeError{errors::assertion_failed(msg)};
        }
        what = "assert holds";
        return true;
    }
    bool operator()(const Start& s) {
        CreatedProcess& c = created_of(state, ev.eval(*s.process));
        if (c.started) throw RuntimeError{errors::start_twice()};
        c.started = true;
        ProcessState child;
        child.instance = c.instance;
        child.process = c.process;
        child.label = c.label;
        child.name = c.name;
        const ProcessTemplate& t = program.processes.at(c.process);
        child.locals.resize(t.local_names.size());
        for (size_t i = 0; i < c.args.size(); ++i) child.locals[i] = c.args[i];
        child.globals = state.globals;  // fork copies the parent's globals
        world.start(child);
        what = "start " + c.label;
        return true;
    }
    bool operator()(const Join& j) {
        CreatedProcess& c = created_of(state, ev.eval(*j.process));
        if (!c.started) throw RuntimeError{errors::join_unstarted()};
        if (j.timeout) {
            if (!world.try_join(c.instance, timeout_seconds(ev.eval(*j.timeout)))) {
                what = fmt::format("join {} timed out: it still runs", c.label);
                return true;
            }
        } else if (!world.join(c.instance)) {
            return false;
        }
        c.joined = true;
        what = "join " + c.label;
        return true;
    }
    bool operator()(const Poll& p) {
        const CreatedProcess& c = created_of(state, ev.eval(*p.process));
        // CPython: an unstarted process is not alive and has no exit code.
        std::optional<int64_t> code = c.started ? world.exit_code(c.instance) : std::nullopt;
        bool alive = c.started && !code;
        Value v = p.query == ProcessQuery::IsAlive ? Value(alive) : code ? Value(*code) : Value(NoneValue{});
        assign(state, p.target, v);
        what = fmt::format("{} {} -> {}", p.query == ProcessQuery::IsAlive ? "is_alive" : "exitcode", c.label,
                           to_python_str(v, [](int) { return std::string(); }));
        return true;
    }
    bool operator()(const Signal& s) {
        const CreatedProcess& c = created_of(state, ev.eval(*s.process));
        const char* method = s.signal == kSigKill ? "kill" : "terminate";
        if (!c.started) throw RuntimeError{errors::signal_unstarted(method)};
        world.send_signal(c.instance, s.signal);
        what = fmt::format("{} {}", method, c.label);
        return true;
    }
    bool operator()(const AtExit&) {
        std::vector<std::string> signalled = signal_daemons(state, world);
        what = signalled.empty() ? "exit" : fmt::format("exit: SIGTERM to {}", fmt::join(signalled, ", "));
        return true;
    }
    template <class Local>
    bool operator()(const Local&) {
        throw RuntimeError{"internal: not a step"};
    }
};

}  // namespace

const ProcessTemplate& template_of(const Program& program, const ProcessState& state) { return code_of(program, state); }

std::optional<Waiting> waiting_for(const Program& program, const ProcessState& state) {
    const ProcessTemplate& code = code_of(program, state);
    if (state.finished || state.pc < 0 || state.pc >= static_cast<int>(code.code.size())) return std::nullopt;
    const Instr& instr = code.code[state.pc];
    if (const auto* a = std::get_if<Acquire>(&instr.node)) {
        if (a->wait != AcquireWait::Block) return std::nullopt;  // it gives False instead
        return Waiting{Waiting::Kind::Acquire, a->object, -1, instr.loc};
    }
    const auto* j = std::get_if<Join>(&instr.node);
    if (!j) return std::nullopt;
    Value child = Evaluator(state, nullptr).eval(*j->process);
    if (!child.is<ProcRef>()) return std::nullopt;
    return Waiting{Waiting::Kind::Join, -1, child.as<ProcRef>().instance, instr.loc};
}

ProcessState initial_main_state(const Program& program) {
    ProcessState state;
    state.instance = 0;
    state.process = -1;
    state.locals.resize(program.main.local_names.size());
    state.globals.resize(program.globals.size());
    state.created_per_process.resize(program.processes.size());
    return state;
}

void run_locals(const Program& program, ProcessState& state, World& world, const DrawSource& draws) {
    const ProcessTemplate& code = code_of(program, state);
    Evaluator ev(state, &world);
    // Locals can loop only through back edges, and loops are bounded statically or
    // contain steps; this fuel catches a spec whose `while` has no step in it.
    long fuel = 10'000'000;
    try {
        while (!state.finished && state.pc < static_cast<int>(code.code.size())) {
            const Instr& instr = code.code[state.pc];
            if (is_step(instr.node)) return;
            if (--fuel == 0) throw RuntimeError{errors::local_loop_without_step()};
            if (const auto* a = std::get_if<Assign>(&instr.node)) {
                assign(state, a->target, ev.eval(*a->value));
            } else if (const auto* d = std::get_if<Draw>(&instr.node)) {
                int64_t low = int_of(ev.eval(*d->low)), high = int_of(ev.eval(*d->high));
                if (low > high) throw RuntimeError{errors::empty_randint_range(low, high)};
                int64_t v = draws(state.instance, state.draws++, low, high);
                assign(state, d->target, v);
            } else if (const auto* c = std::get_if<Create>(&instr.node)) {
                CreatedProcess created;
                created.instance = static_cast<int>(state.created.size()) + 1;
                created.process = c->process;
                for (const auto& arg : c->args) created.args.push_back(ev.eval(*arg));
                int ordinal = ++state.created_per_process.at(c->process);
                const ProcessTemplate& t = program.processes.at(c->process);
                created.label = fmt::format("{}#{}", t.name, ordinal);
                // CPython counts every Process the parent makes, whatever its class: main makes them all.
                created.name = c->name ? ev.eval(*c->name).as<std::string>() : fmt::format("{}-{}", t.default_name, created.instance);
                if (c->daemon) created.daemon = ev.eval(Expr{Call{Builtin::Bool, {c->daemon}}, {}}).as<bool>();
                state.created.push_back(created);
                assign(state, c->target, ProcRef{created.instance});
            } else if (const auto* sd = std::get_if<SetDaemon>(&instr.node)) {
                CreatedProcess& c = created_of(state, ev.eval(*sd->process));
                if (c.started) throw RuntimeError{errors::daemon_after_start()};
                c.daemon = ev.eval(Expr{Call{Builtin::Bool, {sd->flag}}, {}}).as<bool>();
            } else if (const auto* ap = std::get_if<Append>(&instr.node)) {
                Value v = ev.eval(*ap->value);
                auto& slots = ap->list.global ? state.globals : state.locals;
                Value& list = slots.at(ap->list.slot);
                if (!list.is<List>()) list = List{};
                list.as<List>().push_back(std::move(v));
                // A list grows by appends (a comprehension, a loop): a spec could grow one without end.
                raise_if(list_size_error(list.as<List>().size(), value_bytes(list)));
            } else if (const auto* b = std::get_if<Branch>(&instr.node)) {
                Value cond = ev.eval(*b->cond);
                bool holds = cond.is<bool>() ? cond.as<bool>() : ev.eval(Expr{Call{Builtin::Bool, {b->cond}}, {}}).as<bool>();
                if (!holds) {
                    state.pc = b->if_false;
                    continue;
                }
            } else if (const auto* j = std::get_if<Jump>(&instr.node)) {
                state.pc = j->target;
                continue;
            }
            ++state.pc;
        }
    } catch (const RuntimeError& e) {
        fail_process(state, world, e.message);
        return;
    } catch (const std::bad_alloc&) {
        throw;  // the machine's memory, not the spec's: the caller decides (the runtime: MemoryError; a search: its budget)
    } catch (const std::exception& e) {
        fail_process(state, world, std::string("internal: ") + e.what());
        return;
    }
    if (state.pc >= static_cast<int>(code.code.size())) state.finished = true;
}

void fail_process(ProcessState& state, World& world, std::string error) {
    state.finished = true;
    state.error = std::move(error);
    state.reading.reset();
    while (!state.held_by_with.empty()) {
        world.release(state.held_by_with.back(), state.instance);
        state.held_by_with.pop_back();
    }
    // main's uncaught exception ends the interpreter: its atexit runs all the same.
    if (state.instance == 0) signal_daemons(state, world);
}

int64_t exit_code_of(const ProcessState& state) { return state.end_signal ? -state.end_signal : state.error.empty() ? 0 : 1; }

std::string signal_name(int signal) {
    switch (signal) {
        case kSigTerm: return "SIGTERM";
        case kSigKill: return "SIGKILL";
        default: return fmt::format("signal {}", signal);
    }
}

void end_by_signal(ProcessState& state, Event* event) {
    if (event) *event = Event{state.instance, state.pc, "ended by " + signal_name(state.pending_signal)};
    state.finished = true;
    state.end_signal = state.pending_signal;
    state.pending_signal = 0;
    state.reading.reset();
}

StepResult execute_step(const Program& program, ProcessState& state, World& world, Event* event) {
    if (state.finished) return state.error.empty() ? StepResult::Finished : StepResult::Failed;
    const ProcessTemplate& code = code_of(program, state);
    if (state.pc >= static_cast<int>(code.code.size())) {
        state.finished = true;
        return StepResult::Finished;
    }
    const Instr& instr = code.code[state.pc];
    Evaluator ev(state, &world);
    std::string what;
    bool stay = false;
    try {
        StepVisitor step{program, state, world, ev, what};
        bool ran = std::visit(step, instr.node);
        if (!ran) return StepResult::Blocked;
        stay = step.stay;
    } catch (const RuntimeError& e) {
        if (event) *event = Event{state.instance, state.pc, "error: " + e.message};
        fail_process(state, world, e.message);
        return StepResult::Failed;
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        // A value of an unexpected type: the static checks should have caught it.
        fail_process(state, world, std::string("internal: ") + e.what());
        return StepResult::Failed;
    }
    if (event) *event = Event{state.instance, state.pc, std::move(what)};
    if (!stay) ++state.pc;
    return StepResult::Ran;
}

}  // namespace critsec::model
