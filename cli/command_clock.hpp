#pragma once
// The wall clock of a command that runs a spec for real (run, compare, replay):
// `--timeout` bounds the whole command, runs and predictions together. The
// runtime polls RunOptions::interrupted while it supervises; a clock past its
// deadline answers yes there, as Ctrl-C does, so a run in flight is stopped
// (children killed and reaped, folder removed) and the command reports what it
// has, saying why it stopped.
#include <fmt/format.h>

#include <string>

#include "cli/interrupt_guard.hpp"
#include "runtime/clock.hpp"

namespace critsec::cli {

class CommandClock {
public:
    explicit CommandClock(double seconds) : seconds_(seconds), deadline_(runtime::monotonic_seconds() + seconds) {}

    bool out_of_time() const { return runtime::monotonic_seconds() > deadline_; }
    // Whether the command must stop now: Ctrl-C, or the time is out.
    bool stop() const { return InterruptGuard::raised() || out_of_time(); }
    double left() const { return deadline_ - runtime::monotonic_seconds(); }
    double seconds() const { return seconds_; }
    // Why it stopped ("" while it need not): what the report says.
    std::string why() const {
        if (InterruptGuard::raised()) return "interrupted";
        if (out_of_time()) return fmt::format("the time budget ran out (--timeout {:g} s)", seconds_);
        return "";
    }

private:
    double seconds_;
    double deadline_;
};

}  // namespace critsec::cli
