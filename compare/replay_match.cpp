#include "compare/replay_match.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "runtime/arena.hpp"

namespace critsec::compare {

std::vector<std::string> real_failures(const runtime::RunResult& real) {
    std::vector<std::string> out;
    for (const auto& p : real.problems)
        for (const auto& name : real.names)
            if (!name.empty() && p.rfind(name + ": ", 0) == 0 && p.find(": still running") == std::string::npos &&
                p.find(": died (") == std::string::npos) {
                out.push_back(p);
                break;
            }
    return out;
}

std::string named_event_text(const std::string& what, const std::vector<std::string>& names) {
    const std::string open = "\\x1e", close = "\\x1f";
    std::string out;
    size_t i = 0;
    for (size_t at; (at = what.find(open, i)) != std::string::npos;) {
        size_t end = what.find(close, at + open.size());
        std::string digits = end == std::string::npos ? "" : what.substr(at + open.size(), end - at - open.size());
        bool number = !digits.empty() && digits.size() < 6 && digits.find_first_not_of("0123456789") == std::string::npos;
        int instance = number ? std::stoi(digits) : -1;
        if (instance < 0 || instance >= static_cast<int>(names.size())) {
            out.append(what, i, at + open.size() - i);
            i = at + open.size();
            continue;
        }
        out.append(what, i, at - i);
        out += names[instance];
        i = end + close.size();
    }
    return out + what.substr(i);
}

void name_pids_in_events(runtime::RunResult& real) {
    for (auto& e : real.log.events) e.what = named_event_text(e.what, real.names);
}

ReplayMatch match_replay(const checker::CompletedWitness& plan, const checker::ModelEnd& predicted, const runtime::RunResult& real,
                         size_t turns_taken) {
    ReplayMatch m;
    const auto& steps = plan.witness.steps;
    if (turns_taken < steps.size()) {
        const auto& s = steps[turns_taken];
        m.differences.push_back(fmt::format("the real run took {} of the {} turns: turn {} ({} line {}: {}) never happened", turns_taken,
                                            steps.size(), turns_taken + 1, s.process, s.line, s.action));
    }
    bool want_livelock = !predicted.spinning.empty();
    // A lasso's processes spin on after their forced turns: the log may fill up past them.
    if (real.log.dropped > 0 && (!want_livelock || real.log.events.size() < steps.size()))
        m.differences.push_back(fmt::format("the event log lost {} steps", real.log.dropped));
    size_t n = std::min(steps.size(), real.log.events.size());
    for (size_t k = 0; k < n; ++k) {
        const auto& e = real.log.events[k];
        // The log keeps the first bytes of a step's text (with the pid marks unexpanded).
        std::string got = named_event_text(e.what, real.names);
        bool cut = e.what.size() == static_cast<size_t>(runtime::kWhatBytes - 1);
        bool same = cut ? named_event_text(steps[k].action, real.names).rfind(got, 0) == 0 || steps[k].action.rfind(got, 0) == 0
                        : got == steps[k].action;
        if (e.instance != steps[k].instance || !same) {
            std::string who = e.instance >= 0 && e.instance < static_cast<int>(real.names.size()) ? real.names[e.instance] : "?";
            m.differences.push_back(
                fmt::format("step {}: the model has {} `{}`, the real run {} `{}`", k + 1, steps[k].process, steps[k].action, who, got));
            break;
        }
    }
    if (real.log.events.size() > steps.size() && !want_livelock)
        m.differences.push_back(fmt::format("the real run took {} steps, the model {}", real.log.events.size(), steps.size()));
    if (real.final_state != predicted.state)
        m.differences.push_back(fmt::format("shared state: the model ends with `{}`, the real run with `{}`",
                                            fmt::join(predicted.state, "; "), fmt::join(real.final_state, "; ")));
    auto want_failures = predicted.failures, got_failures = real_failures(real);
    std::sort(want_failures.begin(), want_failures.end());
    std::sort(got_failures.begin(), got_failures.end());
    if (want_failures != got_failures)
        m.differences.push_back(
            fmt::format("failures: the model has [{}], the real run [{}]", fmt::join(want_failures, "; "), fmt::join(got_failures, "; ")));
    bool want_deadlock = !predicted.blocked.empty() && !want_livelock;
    bool real_ended = real.status == runtime::RunStatus::Ok || real.status == runtime::RunStatus::Error;
    if (want_livelock) {
        auto want = predicted.spinning, got = real.spinning;
        std::sort(want.begin(), want.end());
        std::sort(got.begin(), got.end());
        if (real.status != runtime::RunStatus::Livelock || want != got)
            m.differences.push_back(fmt::format("the model runs forever ({} spinning), the real run ends as {}: {}",
                                                fmt::join(predicted.spinning, ", "), runtime::run_status_name(real.status),
                                                fmt::join(real.problems, "; ")));
    } else if (want_deadlock && real.status != runtime::RunStatus::Deadlock)
        m.differences.push_back(fmt::format("the model ends in a deadlock ({} blocked), the real run as {}",
                                            fmt::join(predicted.blocked, ", "), runtime::run_status_name(real.status)));
    if (!want_deadlock && !want_livelock && !real_ended)
        m.differences.push_back(fmt::format("the model ends with every process done, the real run as {}: {}",
                                            runtime::run_status_name(real.status), fmt::join(real.problems, "; ")));
    if (predicted.main_prints != real.main_output)
        m.differences.push_back(fmt::format("main's prints: the model has [{}], the real run printed [{}]",
                                            fmt::join(predicted.main_prints, " / "), fmt::join(real.main_output, " / ")));
    return m;
}

std::string shown_violation(std::optional<checker::PropertyKind> kind, const checker::CompletedWitness& plan,
                            const runtime::RunResult& real) {
    if (!kind) return "";
    switch (*kind) {
        case checker::PropertyKind::LostUpdate:
            for (size_t k = 0; k < plan.witness.steps.size() && k < real.log.events.size(); ++k)
                if (plan.witness.steps[k].lost_write)
                    return fmt::format("lost update: real step {} ({} `{}`) {}", k + 1, real.names.at(real.log.events[k].instance),
                                       real.log.events[k].what, plan.witness.steps[k].note);
            return "";
        case checker::PropertyKind::Deadlock:
            return real.status == runtime::RunStatus::Deadlock ? fmt::format("deadlock: {}", fmt::join(real.problems, "; ")) : "";
        case checker::PropertyKind::Progress:
            return real.status == runtime::RunStatus::Livelock ? fmt::format("livelock: {}", fmt::join(real.problems, "; ")) : "";
        case checker::PropertyKind::Assert:
        case checker::PropertyKind::RuntimeError: {
            auto f = real_failures(real);
            return f.empty() ? "" : fmt::format("failed: {}", fmt::join(f, "; "));
        }
        default: return "the watched interleaving, step for step";
    }
}

}  // namespace critsec::compare
