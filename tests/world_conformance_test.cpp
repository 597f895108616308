// The two Worlds the step semantics runs against must agree: the in-memory one
// (model::MemoryWorld: what the explorer and witness replay predict with) and the
// real one (runtime::OsWorld: shared memory, process-shared locks, real files in
// a private folder). One table of small specs, each with a schedule, runs on both
// worlds in this process; every step's result (its event, or that it blocked),
// every error text, the prints, the cells, the locks' holders and depths, the
// semaphores' counts and the files' contents must be the same on both, and what
// the row expects.
//
// The OS side never blocks: each process of a row gets a thread of its own (a
// process-shared mutex is held by a thread) and an OsWorld in main's mode, whose
// acquire() answers "would block" instead of waiting, as the explorer's
// can_acquire() does.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "model/cpu_count.hpp"
#include "model/lock_rules.hpp"
#include "model/memory_world.hpp"
#include "runtime/os_world.hpp"
#include "tests/runtime_test_support.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;

namespace {

struct Row {
    const char* name;
    const char* spec;
    // Instances to step, in order (0 is main, k the k-th process main created);
    // `k*` steps k until it ends or blocks.
    const char* schedule;
    const char* expected;          // the steps that blocked, then the final state (see state_text)
    int64_t semaphore_start = -1;  // when set: the count the spec's semaphores start at
};

// ---- the table ------------------------------------------------------------------------

const Row kRows[] = {
    {"a release of a free Lock", R"(
lock = Lock()

main:
    lock.release()
)",
     "0*", "main failed: ValueError: semaphore or lock released too many times\nlock free\n"},

    {"a release of a Lock another process holds", R"(
lock = Lock()

process P():
    lock.release()

main:
    lock.acquire()
    p = P()
    p.start()
    p.join()
    lock.release()
)",
     "0 0 1* 0*", "P#1 failed: RuntimeError: release of lock, which another process holds\nlock free\n"},

    {"a Lock its holder takes again waits forever", R"(
lock = Lock()

main:
    lock.acquire()
    lock.acquire()
)",
     "0*", "0 blocked\nmain unfinished\nlock held by 0 (1 deep)\n"},

    {"a Value's lock is recursive: taken twice, let go twice, then not held", R"(
total = Value("i", 0)

process P():
    with total.get_lock():
        total.value += 1

main:
    p = P()
    total.get_lock().acquire()
    total.get_lock().acquire()
    p.start()
    total.get_lock().release()
    total.get_lock().release()
    p.join()
    total.get_lock().release()
)",
     "0 0 0 1 0 1 0 1* 0*",
     "1 blocked\n1 blocked\nmain failed: AssertionError: attempt to release recursive lock not owned by thread\ntotal = [1]\n"
     "total.get_lock() free\n"},

    {"a Value's lock released by a process that does not hold it", R"(
total = Value("i", 0)

process P():
    total.get_lock().release()

main:
    total.get_lock().acquire()
    total.get_lock().acquire()
    p = P()
    p.start()
    p.join()
)",
     "0* 1* 0*",
     "0 blocked\nP#1 failed: AssertionError: attempt to release recursive lock not owned by thread\ntotal = [0]\n"
     "total.get_lock() held by 0 (2 deep)\n"},

    {"a Semaphore counts, and an acquire at zero waits", R"(
sem = Semaphore(1)

process P():
    sem.acquire()
    print("in")
    sem.release()

main:
    p = P()
    sem.acquire()
    p.start()
    sem.release()
    p.join()
)",
     "0 0 1 0 1* 0*", "1 blocked\nprinted \"in\"\nsem at 1\n"},

    {"a Semaphore released past its maximum", R"(
sem = Semaphore(0)

main:
    sem.release()
    sem.release()
)",
     "0*", "main failed: ValueError: semaphore or lock released too many times\nsem at 2147483647\n", model::kSemaphoreMax - 1},

    {"acquire(False) and acquire(timeout=...) give False for a lock main holds and a semaphore at 0, True once free", R"(
lock = Lock()
sem = Semaphore(0)

process P():
    a = lock.acquire(False)
    b = lock.acquire(timeout=1 / 100)
    c = sem.acquire(block=False)
    d = sem.acquire(timeout=1 / 100)
    print(f"{a} {b} {c} {d}")
    sem.release()
    e = sem.acquire(timeout=1)
    print(f"{e}")

main:
    p = P()
    lock.acquire()
    p.start()
)",
     "0* 1*", "printed \"False False False False\"\nprinted \"True\"\nlock held by 0 (1 deep)\nsem at 0\n"},

    {"a BoundedSemaphore released past its initial value", R"(
sem = BoundedSemaphore(2)

main:
    sem.acquire()
    sem.release()
    sem.release()
)",
     "0*", "main failed: ValueError: semaphore or lock released too many times\nsem at 2\n"},

    {"r and r+ of a missing file", R"(
log = File("a.txt")

process Reader():
    f = open("a.txt", "r")

process Updater():
    f = open("a.txt", "r+")

main:
    r = Reader()
    u = Updater()
    r.start()
    u.start()
)",
     "0* 1* 2*",
     "Reader#1 failed: FileNotFoundError: [Errno 2] No such file or directory: 'a.txt'\n"
     "Updater#1 failed: FileNotFoundError: [Errno 2] No such file or directory: 'a.txt'\nfile a.txt absent\n"},

    {"r: readline, read to the end, read and readline past it; a write is refused", R"(
log = File("a.txt", "one\ntwo\n")

main:
    f = open("a.txt", "r")
    line = f.readline()
    rest = f.read()
    more = f.read()
    last = f.readline()
    print(line + "|" + rest + "|" + more + "|" + last)
    f.write("x")
)",
     "0*", "main failed: io.UnsupportedOperation: not writable\nprinted \"one\\n|two\\n||\"\nfile a.txt = \"one\\ntwo\\n\"\n"},

    {"r+: a write in the middle overwrites, one past the end leaves NUL bytes", R"(
log = File("a.txt", "hello world")

main:
    f = open("a.txt", "r+")
    f.seek(6)
    f.write("WORLD")
    f.seek(0)
    s = f.read()
    f.seek(13)
    f.write("!")
    f.close()
    f.close()
    print(s)
)",
     "0*", "printed \"hello WORLD\"\nfile a.txt = \"hello WORLD\\x00\\x00!\"\n"},

    {"w: creates a missing file, truncates one that exists; a read is refused", R"(
old = File("a.txt", "old content")
new = File("b.txt")

main:
    f = open("b.txt", "w")
    f.write("made")
    f.close()
    g = open("a.txt", "w")
    g.write("new")
    s = g.read()
)",
     "0*", "main failed: io.UnsupportedOperation: not readable\nfile a.txt = \"new\"\nfile b.txt = \"made\"\n"},

    {"w+: write, seek back and read; reads at and past the end are empty", R"(
log = File("a.txt", "old")

main:
    f = open("a.txt", "w+")
    f.write("7")
    f.seek(0)
    s = f.read()
    t = f.read()
    f.seek(5)
    u = f.read()
    f.close()
    print(s + "|" + t + "|" + u)
)",
     "0*", "printed \"7||\"\nfile a.txt = \"7\"\n"},

    {"a: appends at the end whatever seek said; a read is refused", R"(
log = File("a.txt", "abc")

main:
    f = open("a.txt", "a")
    f.seek(0)
    f.write("d")
    f.close()
    g = open("a.txt", "a")
    s = g.read()
)",
     "0*", "main failed: io.UnsupportedOperation: not readable\nfile a.txt = \"abcd\"\n"},

    {"a+: starts at the end, reads after a seek, appends; a closed file refuses", R"(
log = File("a.txt", "abc")

main:
    f = open("a.txt", "a+")
    s = f.read()
    f.seek(1)
    t = f.read()
    f.seek(0)
    f.write("Z")
    u = f.read()
    f.close()
    print(s + "|" + t + "|" + u)
    v = f.read()
)",
     "0*", "main failed: ValueError: I/O operation on closed file.\nprinted \"|bc|\"\nfile a.txt = \"abcZ\"\n"},

    {"a and a+ create a missing file", R"(
one = File("a.txt")
two = File("b.txt")

main:
    f = open("a.txt", "a")
    f.write("x")
    f.close()
    g = open("b.txt", "a+")
    s = g.read()
    g.close()
)",
     "0*", "file a.txt = \"x\"\nfile b.txt = \"\"\n"},

    {"a write after readline() lands where the text layer read ahead to", R"(
log = File("a.txt", "one\ntwo\n")

main:
    f = open("a.txt", "r+")
    line = f.readline()
    f.write("X")
    f.close()
    print(line)
)",
     "0*", "printed \"one\\n\"\nfile a.txt = \"one\\ntwo\\nX\"\n"},

    {"two handles keep their own offsets: 11 over 2, then 7 over it, is 71", R"(
log = File("a.txt", "2")

process W(text):
    f = open("a.txt", "r+")
    f.write(text)
    f.close()

main:
    a = W("11")
    b = W("7")
    a.start()
    b.start()
    a.join()
    b.join()
)",
     "0 0 1 2 1 2 1 2 0*", "file a.txt = \"71\"\n"},
};

// ---- what both worlds are reduced to -------------------------------------------------

struct ProcessEnd {
    int instance;
    std::string label;
    bool finished;
    std::string error;
};

struct Snapshot {
    std::vector<std::vector<int64_t>> cells;  // by object
    std::vector<int> holder, depth;           // by object: a lock's holder (-1) and depth; a semaphore's count in depth
    std::vector<std::optional<std::string>> files;
    std::vector<std::string> prints;
    std::vector<ProcessEnd> processes;  // by instance
};

std::string state_text(const model::Program& program, const Snapshot& s) {
    std::string out;
    for (const auto& p : s.processes) {
        if (!p.error.empty()) out += fmt::format("{} failed: {}\n", p.label, p.error);
        else if (!p.finished) out += fmt::format("{} unfinished\n", p.label);
    }
    for (const auto& line : s.prints) out += fmt::format("printed {:?}\n", line);
    for (size_t o = 0; o < program.objects.size(); ++o) {
        const auto& obj = program.objects[o];
        switch (obj.kind) {
            case model::ObjectKind::Value:
            case model::ObjectKind::Array: out += fmt::format("{} = [{}]\n", obj.name, fmt::join(s.cells[o], ", ")); break;
            case model::ObjectKind::Lock:
                out += s.holder[o] < 0 ? fmt::format("{} free\n", obj.name)
                                       : fmt::format("{} held by {} ({} deep)\n", obj.name, s.holder[o], s.depth[o]);
                break;
            case model::ObjectKind::Semaphore: out += fmt::format("{} at {}\n", obj.name, s.depth[o]); break;
            case model::ObjectKind::File:
                out += s.files[o] ? fmt::format("file {} = {:?}\n", obj.file_name, *s.files[o])
                                  : fmt::format("file {} absent\n", obj.file_name);
                break;
        }
    }
    return out;
}

// randint() is not what this test is about: every draw is its range's low end.
int64_t low_end(int, int, int64_t low, int64_t) { return low; }

// One world kind, as the rows drive it.
class Stepper {
public:
    virtual ~Stepper() = default;
    // One step of `instance` and the local code after it: the step's event,
    // "blocked", or "ended" when it has no step left.
    virtual std::string step(int instance) = 0;
    // The final state, once every process has run its local code up to its next step.
    virtual Snapshot snapshot() = 0;
};

// ---- the in-memory world --------------------------------------------------------------

class MemoryStepper : public Stepper {
public:
    MemoryStepper(const model::Program& program, int64_t semaphore_start)
        : program_(program), world_(program, model::machine_cpu_count()) {  // OsWorld's count
        for (size_t o = 0; o < program.objects.size(); ++o)
            if (semaphore_start >= 0 && program.objects[o].kind == model::ObjectKind::Semaphore)
                world_.hold_count[o] = static_cast<int>(semaphore_start);
    }

    std::string step(int instance) override {
        model::ProcessState* p = world_.find(instance);
        if (!p) return "ended";
        model::run_locals(program_, *p, world_, low_end);
        if (p->finished) return "ended";
        model::ProcessState copy = *p;  // start() may move the states
        model::Event event{};
        model::StepResult outcome = model::execute_step(program_, copy, world_, &event);
        if (outcome == model::StepResult::Blocked) return "blocked";
        p = world_.find(instance);
        *p = std::move(copy);
        model::run_locals(program_, *p, world_, low_end);  // up to its next step, or its end: a join sees it
        return event.what;
    }

    Snapshot snapshot() override {
        Snapshot s;
        for (size_t i = 0; i < world_.processes.size(); ++i) {
            model::ProcessState& p = world_.processes.edit(i);
            model::run_locals(program_, p, world_, low_end);
            s.processes.push_back({p.instance, p.label, p.finished, p.error});
        }
        std::sort(s.processes.begin(), s.processes.end(), [](const auto& a, const auto& b) { return a.instance < b.instance; });
        s.cells = world_.cells;
        s.holder = world_.holder;
        s.depth = world_.hold_count;
        for (const auto& f : world_.files) s.files.push_back(f.exists ? std::optional(f.content) : std::nullopt);
        for (const auto& line : world_.output) s.prints.push_back(line.text);
        return s;
    }

private:
    const model::Program& program_;
    model::MemoryWorld world_;
};

// ---- the real world ------------------------------------------------------------------

// A thread that is one process of the row: its OsWorld lives (and its locks are
// held) on it; the test thread hands it one job at a time and waits for it.
class ProcessThread {
public:
    explicit ProcessThread(std::function<void()> make_world) {
        thread_ = std::thread([this, make_world] { loop(make_world); });
    }
    ~ProcessThread() {
        {
            std::lock_guard<std::mutex> hold(mutex_);
            quit_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }
    void run(std::function<void()> job) {
        std::unique_lock<std::mutex> hold(mutex_);
        job_ = std::move(job);
        wake_.notify_all();
        wake_.wait(hold, [&] { return !job_; });
    }

private:
    void loop(const std::function<void()>& make_world) {
        make_world();
        std::unique_lock<std::mutex> hold(mutex_);
        for (;;) {
            wake_.wait(hold, [&] { return quit_ || job_; });
            if (quit_) return;
            job_();
            job_ = nullptr;
            wake_.notify_all();
        }
    }
    std::mutex mutex_;
    std::condition_variable wake_;
    std::function<void()> job_;
    bool quit_ = false;
    std::thread thread_;
};

class OsStepper : public Stepper, public runtime::ProcessHost {
public:
    OsStepper(const model::Program& program, int64_t semaphore_start)
        : program_(program), arena_(program, program.total_instances() + 1, 64), sandbox_(program.objects, false) {
        sandbox_.reset();
        for (size_t o = 0; o < program.objects.size(); ++o)
            if (semaphore_start >= 0 && program.objects[o].kind == model::ObjectKind::Semaphore)
                runtime::init_semaphore(arena_.semaphore(static_cast<int>(o)), semaphore_start);
        start(model::initial_main_state(program));
    }
    ~OsStepper() override {
        processes_.clear();  // each thread lets go of its world (and locks) before the arena goes
    }

    std::string step(int instance) override {
        auto it = processes_.find(instance);
        if (it == processes_.end()) return "ended";
        Process& p = *it->second;
        std::string result;
        p.thread->run([&] {
            model::run_locals(program_, p.state, *p.world, low_end);
            if (p.state.finished) {
                result = "ended";
                return;
            }
            p.world->begin_step();
            model::Event event{};
            model::StepResult outcome = model::execute_step(program_, p.state, *p.world, &event);
            p.world->end_step();
            if (outcome == model::StepResult::Blocked) {
                result = "blocked";
                return;
            }
            model::run_locals(program_, p.state, *p.world, low_end);
            result = event.what;
        });
        return result;
    }

    Snapshot snapshot() override {
        Snapshot s;
        for (auto& entry : processes_) {
            Process& p = *entry.second;
            p.thread->run([&] { model::run_locals(program_, p.state, *p.world, low_end); });
            s.processes.push_back({entry.first, p.state.label, p.state.finished, p.state.error});
        }
        for (size_t o = 0; o < program_.objects.size(); ++o) {
            const auto& obj = program_.objects[o];
            int object = static_cast<int>(o);
            std::vector<int64_t> cells;
            for (int c = 0; c < obj.cells(); ++c) cells.push_back(arena_.load(object, c));
            s.cells.push_back(cells);
            int holder = -1, depth = 0;
            if (obj.kind == model::ObjectKind::Lock) {
                holder = arena_.lock(object).holder.load();
                depth = arena_.lock(object).depth;
            } else if (obj.kind == model::ObjectKind::Semaphore) {
                depth = runtime::semaphore_value(arena_.semaphore(object));
            }
            s.holder.push_back(holder);
            s.depth.push_back(depth);
            s.files.push_back(obj.kind == model::ObjectKind::File ? sandbox_.read(object) : std::nullopt);
        }
        for (const auto& record : printed_) s.prints.push_back(record.text);
        return s;
    }

    // ProcessHost: main starts and joins its children here; nothing sleeps.
    void start(const model::ProcessState& child) override {
        auto p = std::make_unique<Process>();
        p->state = child;
        Process& made = *p;
        made.thread = std::make_unique<ProcessThread>([this, &made, instance = child.instance] {
            made.world = std::make_unique<runtime::OsWorld>(program_, arena_, sandbox_, prints_, instance, this, &printed_, 0.0);
        });
        processes_[child.instance] = std::move(p);
    }
    bool join(int instance) override {
        auto it = processes_.find(instance);
        return it != processes_.end() && it->second->state.finished;
    }
    std::optional<int64_t> exit_code(int instance) override {
        auto it = processes_.find(instance);
        if (it == processes_.end() || !it->second->state.finished) return std::nullopt;
        return model::exit_code_of(it->second->state);
    }
    void send_signal(int, int) override {}  // the conformance specs signal nobody
    void join_given_up() override {}
    void sleep(double) override {}

private:
    struct Process {
        model::ProcessState state;
        std::unique_ptr<runtime::OsWorld> world;  // made, used and destroyed on its thread
        std::unique_ptr<ProcessThread> thread;
        ~Process() {
            if (thread) thread->run([this] { world.reset(); });
        }
    };
    const model::Program& program_;
    runtime::Arena arena_;
    runtime::FileSandbox sandbox_;
    runtime::PrintChannel prints_;
    std::vector<runtime::PrintRecord> printed_;  // every process's prints, in the order made
    std::map<int, std::unique_ptr<Process>> processes_;
};

}  // namespace

namespace {

struct Result {
    std::vector<std::string> trace;  // every step's result, `instance: event`
    std::string text;                // what a row expects: the blocked steps, then the final state
};

Result run_row(const model::Program& program, const Row& row, Stepper& stepper) {
    Result r;
    std::istringstream schedule(row.schedule);
    std::string token;
    while (schedule >> token) {
        bool until_end = token.back() == '*';
        int instance = std::stoi(token);
        for (int n = 0; n < (until_end ? 1000 : 1); ++n) {
            std::string did = stepper.step(instance);
            r.trace.push_back(fmt::format("{}: {}", instance, did));
            if (did == "blocked") r.text += fmt::format("{} blocked\n", instance);
            if (did == "ended" && !until_end) r.text += fmt::format("{} has no step left\n", instance);
            if (did == "blocked" || did == "ended") break;
        }
    }
    r.text += state_text(program, stepper.snapshot());
    return r;
}

}  // namespace

TEST_CASE("the in-memory world and the OS world agree, step by step, on every row of the table") {
    test::PrivateTmpdir tmp;  // the rows' private folders
    for (const Row& row : kRows) {
        DYNAMIC_SECTION(row.name) {
            model::Program program = test::compile_text_ok(row.spec);
            Result memory, os;
            {
                MemoryStepper stepper(program, row.semaphore_start);
                memory = run_row(program, row, stepper);
            }
            {
                OsStepper stepper(program, row.semaphore_start);
                os = run_row(program, row, stepper);
            }
            CHECK(os.trace == memory.trace);
            CHECK(os.text == memory.text);
            CHECK(memory.text == row.expected);
        }
    }
}
