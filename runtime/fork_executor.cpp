#include "runtime/fork_executor.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>

#include "runtime/clock.hpp"
#include "runtime/final_state.hpp"
#include "runtime/os_world.hpp"
#include "runtime/pid_marks.hpp"
#include "runtime/process_driver.hpp"
#include "runtime/seeding.hpp"
#include "runtime/supervision.hpp"

namespace critsec::runtime {

int checked_instance_count(const model::Program& program, int max_processes) {
    int n = program.total_instances() + 1;
    if (n > max_processes)
        throw SpecRefused("the spec starts " + std::to_string(n - 1) + " processes besides main; the cap is " +
                          std::to_string(max_processes - 1) + " (--max-procs)");
    return n;
}

void check_file_names(const model::Program& program) {
    for (const auto& obj : program.objects) {
        if (obj.kind != model::ObjectKind::File) continue;
        std::string problem = file_name_problem(obj.file_name);
        if (!problem.empty()) throw SpecRefused("File(\"" + obj.file_name + "\"): " + problem);
    }
}

ForkExecutor::ForkExecutor(const model::Program& program, RunOptions options)
    : program_(program),
      options_(std::move(options)),
      arena_(program, checked_instance_count(program, options_.max_processes), options_.event_capacity),
      sandbox_((check_file_names(program), program.objects), options_.keep_files) {  // names checked before mkdtemp
    arena_.header().shell_pid.store(::getppid());
    arena_.header().main_pid.store(::getpid());
}

// One run: main in this process, every other instance a forked child.
class ForkRun final : public ProcessHost {
public:
    ForkRun(ForkExecutor& ex, uint64_t seed)
        : ex_(ex),
          seed_(seed),
          main_world_(ex.program_, ex.arena_, ex.sandbox_, ex.prints_, 0, this, &main_prints_, ex.options_.time_scale),
          main_(model::initial_main_state(ex.program_)),
          children_(static_cast<size_t>(ex.arena_.instances())),
          watch_(ex.program_, ex.arena_, ex.options_) {}

    RunResult execute();

    void start(const model::ProcessState& child) override;
    bool join(int instance) override;
    void sleep(double seconds) override;

private:
    [[noreturn]] void run_child(const model::ProcessState& child);
    model::DrawSource draws() const {
        uint64_t seed = seed_;
        return [seed](int instance, int draw, int64_t low, int64_t high) { return seeded_draw(seed, instance, draw, low, high); };
    }
    // Waits for something to happen (a print, a child's end) for at most `wait`
    // seconds, then checks the run. False when the run must stop.
    bool supervise(double wait);
    std::vector<int> running_children() const;
    void kill_run();
    RunResult collect();

    ForkExecutor& ex_;
    uint64_t seed_;
    std::vector<PrintRecord> main_prints_, child_prints_;
    OsWorld main_world_;
    model::ProcessState main_;
    std::vector<ChildProcess> children_;  // by instance; [0] is main, unused
    Watchdog watch_;
    int main_joins_ = -1;                 // the instance main is joining while blocked
    unsigned keep_going_calls_ = 0;
};

void ForkRun::start(const model::ProcessState& child) {
    int i = child.instance;
    if (i <= 0 || i >= static_cast<int>(children_.size()))
        throw std::runtime_error("more processes started than the spec's static count");
    watch_.set_name(i, child.label);
    ex_.arena_.slot(i).status.store(static_cast<int32_t>(SlotStatus::Running));
    children_[i] = ChildProcess::fork_into(ex_.group_.id(), [&] { run_child(child); });
    ex_.arena_.slot(i).pid.store(children_[i].pid());
}

void ForkRun::run_child(const model::ProcessState& child) {
    ex_.arena_.slot(child.instance).pid.store(::getpid());
    rlimit fsize{static_cast<rlim_t>(model::kMaxFileBytes), static_cast<rlim_t>(model::kMaxFileBytes)};
    ::setrlimit(RLIMIT_FSIZE, &fsize);
    ::signal(SIGXFSZ, SIG_IGN);  // a write past the cap fails with EFBIG instead
    model::ProcessState state = child;
    OsWorld world(ex_.program_, ex_.arena_, ex_.sandbox_, ex_.prints_, child.instance, nullptr, nullptr,
                  ex_.options_.time_scale);
    Driver driver{ex_.program_, ex_.arena_, world, draws(),
                  Perturber(ex_.options_.perturb, splitmix64(seed_ + static_cast<uint64_t>(child.instance))), {}};
    DriveEnd end = drive(driver, state);
    ::_exit(end == DriveEnd::Finished ? 0 : 1);
}

bool ForkRun::join(int instance) {
    ChildProcess& c = children_.at(instance);
    if (!c.running() || c.try_reap()) {
        main_joins_ = -1;
        return true;
    }
    main_joins_ = instance;
    return false;
}

void ForkRun::sleep(double seconds) {
    InstanceSlot& slot = ex_.arena_.slot(0);
    slot.status.store(static_cast<int32_t>(SlotStatus::Sleeping));
    double until = monotonic_seconds() + seconds;
    for (double now = monotonic_seconds(); now < until; now = monotonic_seconds())
        if (!supervise(std::min(until - now, 0.05))) break;
    slot.status.store(static_cast<int32_t>(SlotStatus::Running));
}

std::vector<int> ForkRun::running_children() const {
    std::vector<int> out;
    for (size_t i = 1; i < children_.size(); ++i)
        if (children_[i].running()) out.push_back(static_cast<int>(i));
    return out;
}

bool ForkRun::supervise(double wait) {
    std::vector<pollfd> fds{{ex_.prints_.read_fd(), POLLIN, 0}};
    std::vector<int> running = running_children();
    for (int i : running) fds.push_back({children_[i].pidfd(), POLLIN, 0});
    if (watch_.suspect()) wait = std::min(wait, 0.002);
    timespec ts{static_cast<time_t>(wait), static_cast<long>((wait - std::floor(wait)) * 1e9)};
    int n = ::ppoll(fds.data(), fds.size(), &ts, nullptr);
    ex_.prints_.drain(child_prints_);
    if (n > 0)
        for (size_t k = 1; k < fds.size(); ++k)
            if (fds[k].revents) children_[running[k - 1]].try_reap();
    running = running_children();
    bool main_waiting = main_.finished || ex_.arena_.slot(0).status.load() == static_cast<int32_t>(SlotStatus::Blocked);
    // Main joining a child that has just ended is not stuck: its next try succeeds.
    if (main_joins_ > 0 && !children_[main_joins_].running()) main_waiting = false;
    std::vector<int> pids;
    for (int i : running) pids.push_back(children_[i].pid());
    return watch_.check(main_waiting, running, pids, main_joins_);
}

void ForkRun::kill_run() {
    ex_.group_.kill_all();
    for (auto& c : children_) {
        c.kill();
        c.reap();
    }
}

RunResult ForkRun::execute() {
    double started = monotonic_seconds();
    ex_.arena_.slot(0).pid.store(::getpid());
    ex_.arena_.slot(0).status.store(static_cast<int32_t>(SlotStatus::Running));
    Driver driver{ex_.program_, ex_.arena_, main_world_, draws(), Perturber(ex_.options_.perturb, splitmix64(seed_)),
                  [this] { return !watch_.stopped() && ((++keep_going_calls_ & 63) != 0 || supervise(0)); }};
    for (;;) {
        DriveEnd end = drive(driver, main_);
        if (end != DriveEnd::Blocked) break;
        if (!supervise(main_joins_ > 0 ? 0.05 : 0.0005)) break;
    }
    // Python's exit: main waits for every child it started.
    while (!watch_.stopped() && !running_children().empty()) supervise(0.05);
    if (watch_.stopped()) kill_run();
    main_world_.release_everything();
    RunResult result = collect();
    result.seconds = monotonic_seconds() - started;
    return result;
}

RunResult ForkRun::collect() {
    RunResult r;
    r.seed = seed_;
    ex_.prints_.drain(child_prints_);
    ex_.prints_.discard_partial();
    Arena& arena = ex_.arena_;
    int n = arena.instances();
    r.names.assign(static_cast<size_t>(n), "");
    r.pids.assign(static_cast<size_t>(n), 0);
    r.names[0] = "main";
    for (const auto& c : main_.created)
        if (c.instance < n) r.names[c.instance] = c.label;
    for (int i = 0; i < n; ++i) r.pids[i] = arena.slot(i).pid.load();
    auto named = [&](const std::string& text) {
        return expand_pid_marks(text, [&](int i) { return i < 0 ? std::string("shell") : i < n ? r.names[i] : "?"; });
    };
    auto real = [&](const std::string& text) {
        return expand_pid_marks(text, [&](int i) {
            return std::to_string(i < 0 ? arena.header().shell_pid.load() : i < n ? r.pids[i] : 0);
        });
    };
    std::vector<PrintRecord> prints = std::move(child_prints_);
    prints.insert(prints.end(), main_prints_.begin(), main_prints_.end());
    std::sort(prints.begin(), prints.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
    for (const auto& p : prints) {
        r.output.push_back(OutputLine{p.seq, p.instance, real(p.text)});
        if (p.instance == 0) r.main_output.push_back(named(p.text));
    }
    for (int i = 0; i < n; ++i) {
        const InstanceSlot& slot = arena.slot(i);
        auto status = static_cast<SlotStatus>(slot.status.load());
        if (status == SlotStatus::Failed) {
            r.problems.push_back(r.names[i] + ": " + named(slot.error));
            if (slot.failed_assert >= 0) r.failed_asserts.insert(slot.failed_assert);
        } else if (i > 0 && !watch_.stopped() && status != SlotStatus::Unused && status != SlotStatus::Finished) {
            const int ws = children_[i].wait_status();
            r.problems.push_back(r.names[i] + ": died (" + describe_wait_status(ws) + ")");
        }
    }
    switch (watch_.stop()) {
        case Stop::None: r.status = r.problems.empty() ? RunStatus::Ok : RunStatus::Error; break;
        case Stop::Deadlock: r.status = RunStatus::Deadlock; break;
        case Stop::Timeout: r.status = RunStatus::Timeout; break;
        case Stop::Interrupted: r.status = RunStatus::Interrupted; break;
    }
    if (watch_.stopped()) r.problems.insert(r.problems.begin(), watch_.reasons().begin(), watch_.reasons().end());
    r.final_state = describe_final_state(ex_.program_, arena, ex_.sandbox_);
    r.log = read_event_log(arena);
    for (auto& e : r.log.events) e.what = named(e.what);
    return r;
}

RunResult ForkExecutor::run(uint64_t run_seed) {
    arena_.reset();
    sandbox_.reset();
    ForkRun run(*this, run_seed);
    return run.execute();
}

}  // namespace critsec::runtime
