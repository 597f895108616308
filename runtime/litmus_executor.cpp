#include "runtime/litmus_executor.hpp"

#include <poll.h>
#include <sched.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "runtime/clock.hpp"
#include "runtime/futex.hpp"
#include "runtime/main_run.hpp"
#include "runtime/state_codec.hpp"

namespace critsec::runtime {

namespace {
constexpr size_t kStateBytes = 16 * 1024;
// How long a waiting worker or supervisor yields before it sleeps on a futex (measured
// with 0, 30, 100 and 300 us: the yielding matters, its length hardly).
constexpr double kSpinSeconds = 100e-6;

// sched_yield() while `waiting()` holds, for at most `seconds`.
template <class Waiting>
void yield_while(const Waiting& waiting, double seconds) {
    if (!waiting()) return;
    double until = monotonic_seconds() + seconds;
    for (unsigned k = 1; waiting(); ++k) {
        sched_yield();
        if ((k & 7) == 0 && monotonic_seconds() > until) return;
    }
}

[[noreturn]] void worker_loop(RunResources& res, int instance, uint32_t seen) {
    limit_child_process(res.options);
    InstanceSlot& slot = res.arena.slot(instance);
    ArenaHeader& header = res.arena.header();
    for (;;) {
        // Spin (yielding) a little while first, as litmus7's workers do: in a series of
        // runs the next start comes within microseconds; then sleep.
        yield_while([&] { return slot.go.load() == seen; }, kSpinSeconds);
        while (slot.go.load() == seen) futex_wait(slot.go, seen, -1);
        seen = slot.go.load();
        model::ProcessState state = decode_start_state(res.arena.state_buffer(instance), slot.state_size.load());
        bool holds_locks = false;
        run_child_process(res, header.run_seed.load(), std::move(state), &holds_locks);
        header.done.fetch_add(1);
        if (header.main_waits.load()) futex_wake_all(header.done);  // seq_cst both sides: no lost wake
        // The arena is reset under the next run: a mutex this process still owns must
        // die with it (its next taker sees the holder gone, as with a fresh process).
        if (holds_locks) {
            slot.exiting.store(1);
            ::_exit(0);
        }
    }
}
}  // namespace

LitmusExecutor::LitmusExecutor(const model::Program& program, RunOptions options)
    : res_(program, std::move(options), kStateBytes), workers_(static_cast<size_t>(res_.arena.instances())) {}

LitmusExecutor::~LitmusExecutor() {
    res_.group.kill_all();  // idle workers hold nothing; each ChildProcess then reaps its own
}

void LitmusExecutor::ensure_worker(int instance) {
    ChildProcess& w = workers_.at(instance);
    InstanceSlot& slot = res_.arena.slot(instance);
    if (slot.exiting.exchange(0)) w.reap();  // it ended its last run holding a lock, and exits
    if (w.running()) return;
    RunResources& res = res_;
    uint32_t seen = slot.go.load();
    w = ChildProcess::fork_into(res.group.id(), [&res, instance, seen] { worker_loop(res, instance, seen); },
                                {.to_reset = nullptr, .sigterm_deferred = true});
    ++forks_;
}

// One run over the reused workers.
class LitmusRun final : public MainRun {
public:
    LitmusRun(LitmusExecutor& ex, uint64_t seed)
        : MainRun(ex.res_, seed), ex_(ex), started_(static_cast<size_t>(ex.res_.arena.instances()), false) {}

    void start(const model::ProcessState& child) override {
        int i = child.instance;
        if (i <= 0 || i >= static_cast<int>(started_.size()))
            throw std::runtime_error("more processes started than the spec's static count");
        set_name(i, child.label);
        ex_.ensure_worker(i);
        std::string bytes = encode_start_state(child);
        if (bytes.size() > res_.arena.state_bytes())
            throw std::runtime_error("the arguments of " + child.label + " are too large for litmus mode");
        InstanceSlot& slot = res_.arena.slot(i);
        std::memcpy(res_.arena.state_buffer(i), bytes.data(), bytes.size());
        slot.state_size.store(static_cast<uint32_t>(bytes.size()));
        slot.pid.store(ex_.workers_[i].pid());
        slot.status.store(static_cast<int32_t>(SlotStatus::Running));
        started_[i] = true;
        slot.go.fetch_add(1);  // a worker awake already goes now; a sleeping one at release_started()
        pending_.push_back(i);
    }

    void release_started() override {
        for (int i : pending_) futex_wake_all(res_.arena.slot(i).go);
        pending_.clear();
    }

    bool join(int instance) override {
        main_joins_ = ended(instance) ? -1 : instance;
        return main_joins_ < 0;
    }

    // A signal ends the worker itself: the next run forks another.
    std::optional<int64_t> exit_code(int instance) override { return exit_code_of_child(instance, ex_.workers_.at(instance)); }
    void send_signal(int instance, int signal) override { signal_child(instance, signal, ex_.workers_.at(instance)); }

private:
    bool ended(int i) const {
        auto s = static_cast<SlotStatus>(res_.arena.slot(i).status.load());
        return s == SlotStatus::Finished || s == SlotStatus::Failed || s == SlotStatus::Signalled || !ex_.workers_[i].running();
    }

    std::vector<int> running() const {
        std::vector<int> out;
        for (size_t i = 1; i < started_.size(); ++i)
            if (started_[i] && !ended(static_cast<int>(i))) out.push_back(static_cast<int>(i));
        return out;
    }

    bool supervise(double wait) override {
        release_started();
        ArenaHeader& header = res_.arena.header();
        std::vector<int> alive = running();
        bool quiet = wait <= 0 && (++calls_ & 63) == 0;
        if (wait > 0 && !alive.empty()) {
            uint32_t done = header.done.load();
            // Give the CPU to the workers a while before sleeping: a sleep and wake of the
            // supervisor per finished worker costs more than their whole run.
            yield_while([&] { return header.done.load() == done; }, kSpinSeconds);
            header.main_waits.store(1);
            futex_wait(header.done, done, std::min(wait_at_most(wait), 0.002));
            header.main_waits.store(0);
            quiet = header.done.load() == done;
        }
        if (uint32_t printed = header.printed.load(); printed != drained_) {
            drained_ = printed;
            res_.prints.drain(child_prints_);
        }
        // A worker that died mid-run (a crash) never reports: when none has, its pidfd says so.
        std::vector<pollfd> fds;
        if (quiet)
            for (int i : alive) fds.push_back({ex_.workers_[i].pidfd(), POLLIN, 0});
        if (!fds.empty() && ::poll(fds.data(), fds.size(), 0) > 0)
            for (size_t k = 0; k < fds.size(); ++k)
                if (fds[k].revents) exit_code_of_child(alive[k], ex_.workers_[alive[k]]);  // reaps it
        alive = running();
        std::vector<int> pids;
        for (int i : alive) pids.push_back(ex_.workers_[i].pid());
        return check(alive, pids);
    }

    bool any_child_running() const override { return !running().empty(); }

    void kill_children() override {
        res_.group.kill_all();
        for (auto& w : ex_.workers_) {
            w.kill();
            w.reap();
        }
    }

    std::string child_end(int instance) const override {
        const ChildProcess& w = ex_.workers_.at(instance);
        return w.running() ? "still running" : "died (" + describe_wait_status(w.wait_status()) + ")";
    }

    LitmusExecutor& ex_;
    std::vector<bool> started_;
    std::vector<int> pending_;  // started, not woken yet
    uint32_t drained_ = 0;      // the print count when the channel was last drained
    unsigned calls_ = 0;
};

RunResult LitmusExecutor::run(uint64_t run_seed) {
    res_.arena.reset();
    res_.sandbox.reset();
    res_.arena.header().run_seed.store(run_seed);
    LitmusRun run(*this, run_seed);
    return run.execute();
}

}  // namespace critsec::runtime
