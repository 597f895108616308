#include "runtime/fork_executor.hpp"

#include <poll.h>
#include <unistd.h>

#include <cmath>
#include <optional>
#include <stdexcept>
#include <vector>

#include "runtime/child_process.hpp"
#include "runtime/main_run.hpp"
#include "runtime/turn_schedule.hpp"

namespace critsec::runtime {

namespace {

// One run: every start() forks a fresh child that runs its process and exits.
class ForkRun final : public MainRun {
public:
    ForkRun(RunResources& res, uint64_t seed) : MainRun(res, seed), children_(static_cast<size_t>(res.arena.instances())) {}

    void start(const model::ProcessState& child) override {
        int i = child.instance;
        if (i <= 0 || i >= static_cast<int>(children_.size()))
            throw std::runtime_error("more processes started than the spec's static count");
        set_name(i, child.label);
        res_.arena.slot(i).status.store(static_cast<int32_t>(SlotStatus::Running));
        uint64_t seed = seed_;
        RunResources& res = res_;
        if (!handled_signals_) handled_signals_ = signals_not_default();
        children_[i] = ChildProcess::fork_into(res_.group.id(), [&res, &child, seed] {
            res.arena.slot(child.instance).pid.store(::getpid());
            limit_child_process(res.options);
            ::_exit(run_child_process(res, seed, child) == DriveEnd::Finished ? 0 : 1);
        }, {.to_reset = &*handled_signals_, .sigterm_deferred = true});
        res_.arena.slot(i).pid.store(children_[i].pid());
    }

    bool join(int instance) override {
        ChildProcess& c = children_.at(instance);
        main_joins_ = !c.running() || c.try_reap() ? -1 : instance;
        return main_joins_ < 0;
    }

    std::optional<int64_t> exit_code(int instance) override { return exit_code_of_child(instance, children_.at(instance)); }
    void send_signal(int instance, int signal) override { signal_child(instance, signal, children_.at(instance)); }

private:
    std::vector<int> running() const {
        std::vector<int> out;
        for (size_t i = 1; i < children_.size(); ++i)
            if (children_[i].running()) out.push_back(static_cast<int>(i));
        return out;
    }

    bool supervise(double wait) override {
        std::vector<int> alive = running();
        std::vector<pollfd> fds{{res_.prints.read_fd(), POLLIN, 0}};
        for (int i : alive) fds.push_back({children_[i].pidfd(), POLLIN, 0});
        wait = wait_at_most(wait);
        timespec ts{static_cast<time_t>(wait), static_cast<long>((wait - std::floor(wait)) * 1e9)};
        if (::ppoll(fds.data(), fds.size(), &ts, nullptr) > 0)
            for (size_t k = 1; k < fds.size(); ++k)
                if (fds[k].revents) exit_code_of_child(alive[k - 1], children_[alive[k - 1]]);  // reaps it
        res_.prints.drain(child_prints_);
        alive = running();
        std::vector<int> pids;
        for (int i : alive) pids.push_back(children_[i].pid());
        return check(alive, pids);
    }

    bool any_child_running() const override { return !running().empty(); }

    void kill_children() override {
        res_.group.kill_all();
        for (auto& c : children_) {
            c.kill();
            c.reap();
        }
    }

    std::string child_end(int instance) const override {
        const ChildProcess& c = children_.at(instance);
        return c.running() ? "still running" : "died (" + describe_wait_status(c.wait_status()) + ")";
    }

    std::vector<ChildProcess> children_;  // by instance; [0] is main, unused
    std::optional<std::vector<int>> handled_signals_;  // read at the run's first fork
};

}  // namespace

RunResult ForkExecutor::run(uint64_t run_seed) {
    res_.arena.reset();
    res_.sandbox.reset();
    if (res_.options.turns) res_.options.turns->reset();
    ForkRun run(res_, run_seed);
    return run.execute();
}

}  // namespace critsec::runtime
