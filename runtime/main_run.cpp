#include "runtime/main_run.hpp"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "runtime/clock.hpp"
#include "runtime/final_state.hpp"
#include "runtime/pid_marks.hpp"
#include "runtime/seeding.hpp"
#include "runtime/step_lock.hpp"
#include "runtime/termination.hpp"

namespace critsec::runtime {

namespace {
// How long main waits for a child to end itself by the SIGKILL it announced (a step
// of a running child takes microseconds), and then for the kernel's to end it.
constexpr double kKillGraceSeconds = 0.02;
constexpr double kKillWaitSeconds = 2;
}  // namespace

model::DrawSource seeded_draws(uint64_t run_seed) {
    return [run_seed](int instance, int draw, int64_t low, int64_t high) { return seeded_draw(run_seed, instance, draw, low, high); };
}

model::DrawSource run_draws(const RunOptions& options, uint64_t run_seed) {
    return options.turns ? options.turns->draws() : seeded_draws(run_seed);
}

void limit_child_process(const RunOptions& options) {
    rlimit fsize{static_cast<rlim_t>(model::kMaxFileBytes), static_cast<rlim_t>(model::kMaxFileBytes)};
    ::setrlimit(RLIMIT_FSIZE, &fsize);
#ifndef __SANITIZE_ADDRESS__  // AddressSanitizer's shadow memory alone is terabytes of address space
    rlim_t bytes = static_cast<rlim_t>(options.max_memory_mb) << 20;
    rlimit as{bytes, bytes};
    ::setrlimit(RLIMIT_AS, &as);
#else
    (void)options;
#endif
    ::signal(SIGXFSZ, SIG_IGN);  // a write past the cap fails with EFBIG instead
}

DriveEnd run_child_process(RunResources& res, uint64_t run_seed, model::ProcessState state, bool* holds_locks) {
    OsWorld world(res.program, res.arena, res.sandbox, res.prints, state.instance, nullptr, nullptr, res.options.time_scale);
    Driver driver{res.program,
                  res.arena,
                  world,
                  run_draws(res.options, run_seed),
                  Perturber(res.options.perturb, splitmix64(run_seed + static_cast<uint64_t>(state.instance))),
                  {},
                  res.options.turns.get()};
    DriveEnd end = drive(driver, state);
    if (holds_locks) *holds_locks = world.holds_locks();
    return end;
}

MainRun::MainRun(RunResources& res, uint64_t seed)
    : res_(res),
      seed_(seed),
      main_world_(res.program, res.arena, res.sandbox, res.prints, 0, this, &main_prints_, res.options.time_scale),
      main_(model::initial_main_state(res.program)),
      watch_(res.program, res.arena, res.options) {}

std::optional<int64_t> MainRun::exit_code_of_child(int instance, ChildProcess& process) {
    InstanceSlot& slot = res_.arena.slot(instance);
    bool reaped = process.try_reap();  // first: a child that has exited is reaped whatever its slot says
    auto status = static_cast<SlotStatus>(slot.status.load());
    if (status == SlotStatus::Finished) return 0;
    if (status == SlotStatus::Failed) return 1;
    if (status == SlotStatus::Signalled) return -slot.end_signal;
    if (!reaped) return std::nullopt;
    // Ended without a word in its slot: by a signal it could not defer (SIGKILL), or
    // by SIGTERM before its first step; recorded now as the model's end by a signal.
    int ws = process.wait_status();
    if (!WIFSIGNALED(ws)) return 1;
    // Another signal (a crash) stays what it is: the run reports the child died.
    if (signalled_.count(instance)) {
        slot.end_signal = WTERMSIG(ws);
        slot.status.store(static_cast<int32_t>(SlotStatus::Signalled));
    }
    return -WTERMSIG(ws);
}

void MainRun::signal_child(int instance, int signal, ChildProcess& process) {
    if (exit_code_of_child(instance, process)) return;
    signalled_.insert(instance);  // announced in the child's slot already, with main's step (OsWorld::send_signal)
    if (signal != SIGKILL) {
        process.kill(signal);
        return;
    }
    // SIGKILL cannot be deferred to the child's next step as SIGTERM is, and a child
    // killed inside a step would leave its access unrecorded in the log and the step
    // lock held (the others wait for it until the run's time cap). So the child
    // ends itself by it at its next step, where the model's kill lands; one
    // that does not (blocked in the kernel, computing privately, descheduled) is
    // killed with the step lock in main's hands, so not inside a shared access.
    if (process.wait_for_exit(kKillGraceSeconds)) return;
    StepLockGuard no_step_under_way(res_.arena.header().step_lock);
    process.kill(SIGKILL);
    process.wait_for_exit(kKillWaitSeconds);
    res_.arena.slot(instance).exiting.store(1);  // a litmus worker: reaped before the next run, not reused
}

bool MainRun::main_waiting() const {
    return main_.finished || res_.arena.slot(0).status.load() == static_cast<int32_t>(SlotStatus::Blocked);
}

bool MainRun::check(const std::vector<int>& running, const std::vector<int>& pids) {
    bool waiting = main_waiting();
    // Main joining a child that has just ended is not stuck: its next try succeeds.
    if (main_joins_ > 0 && std::find(running.begin(), running.end(), main_joins_) == running.end()) waiting = false;
    return watch_.check(waiting, running, pids, main_joins_);
}

void MainRun::sleep(double seconds) {
    InstanceSlot& slot = res_.arena.slot(0);
    slot.status.store(static_cast<int32_t>(SlotStatus::Sleeping));
    double until = monotonic_seconds() + seconds;
    for (double now = monotonic_seconds(); now < until; now = monotonic_seconds())
        if (!supervise(std::min(until - now, 0.05))) break;
    slot.status.store(static_cast<int32_t>(SlotStatus::Running));
}

bool MainRun::before_main_step() {
    if (watch_.stopped()) return false;
    const auto& code = res_.program.main.code;
    bool next_is_start = main_.pc < static_cast<int>(code.size()) && std::holds_alternative<model::Start>(code[main_.pc].node);
    if (!next_is_start) release_started();
    return (++keep_going_calls_ & 63) != 0 || supervise(0);
}

RunResult MainRun::execute() {
    double started = monotonic_seconds();
    res_.arena.slot(0).pid.store(::getpid());
    res_.arena.slot(0).status.store(static_cast<int32_t>(SlotStatus::Running));
    Driver driver{res_.program,
                  res_.arena,
                  main_world_,
                  main_draws(run_draws(res_.options, seed_)),
                  Perturber(res_.options.perturb, splitmix64(seed_)),
                  [this] { return before_main_step(); },
                  res_.options.turns.get()};
    for (;;) {
        DriveEnd end = drive(driver, main_);
        if (end != DriveEnd::Blocked) break;
        if (!supervise(main_joins_ > 0 ? 0.05 : 0.0005)) break;
    }
    // Python's exit: main waits for every child it started.
    release_started();
    while (!watch_.stopped() && any_child_running()) supervise(0.05);
    if (watch_.stopped()) kill_children();
    main_world_.release_everything();
    RunResult result = collect();
    result.seconds = monotonic_seconds() - started;
    return result;
}

model::DrawSource MainRun::main_draws(model::DrawSource base) {
    return [this, base = std::move(base)](int instance, int draw, int64_t low, int64_t high) {
        const auto& fixed = res_.options.main_inputs;
        int64_t v = draw >= 0 && draw < static_cast<int>(fixed.size()) ? fixed[static_cast<size_t>(draw)] : base(instance, draw, low, high);
        drawn_.push_back(v);
        return v;
    };
}

RunResult MainRun::collect() {
    RunResult r;
    r.seed = seed_;
    r.inputs = drawn_;
    res_.prints.drain(child_prints_);
    res_.prints.discard_partial();
    Arena& arena = res_.arena;
    int n = arena.instances();
    r.names.assign(static_cast<size_t>(n), "");
    r.pids.assign(static_cast<size_t>(n), 0);
    r.names[0] = "main";
    for (const auto& c : main_.created)
        if (c.instance < n) r.names[c.instance] = c.label;
    for (int i = 0; i < n; ++i) r.pids[i] = arena.slot(i).pid.load();
    auto name_of = [&](int i) { return i < 0 ? std::string("shell") : i < n ? r.names[i] : "?"; };
    auto named = [&](const std::string& text) { return expand_pid_marks(text, name_of); };
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
        } else if (i > 0 && !watch_.stopped() && status != SlotStatus::Unused && status != SlotStatus::Finished &&
                   status != SlotStatus::Signalled) {
            r.problems.push_back(r.names[i] + ": " + child_end(i));
        }
        bool ended = i == 0 ? main_.finished
                            : status == SlotStatus::Unused || status == SlotStatus::Finished || status == SlotStatus::Failed ||
                                  status == SlotStatus::Signalled;
        if (!ended) r.unfinished.push_back(r.names[i]);
    }
    switch (watch_.stop()) {
        case Stop::None: r.status = r.problems.empty() ? RunStatus::Ok : RunStatus::Error; break;
        case Stop::Deadlock: r.status = RunStatus::Deadlock; break;
        case Stop::Livelock: r.status = RunStatus::Livelock; break;
        case Stop::Timeout: r.status = RunStatus::Timeout; break;
        case Stop::Interrupted: r.status = RunStatus::Interrupted; break;
    }
    if (watch_.stopped()) r.problems.insert(r.problems.begin(), watch_.reasons().begin(), watch_.reasons().end());
    if (watch_.stop() == Stop::Livelock)
        for (int i : watch_.spinners()) r.spinning.push_back(r.names.at(static_cast<size_t>(i)));
    r.final_state = describe_final_state(res_.program, arena, res_.sandbox);
    r.log = read_event_log(arena);
    for (auto& e : r.log.events)
        e.what = named(expand_quoted_pid_marks(e.what, name_of));
    return r;
}

}  // namespace critsec::runtime
