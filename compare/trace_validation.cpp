#include "compare/trace_validation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "checker/explorer/logging_world.hpp"
#include "compare/lost_update_watch.hpp"
#include "compare/readable_log.hpp"
#include "model/cpu_count.hpp"
#include "model/memory_world.hpp"
#include "model/semantics.hpp"
#include "runtime/arena.hpp"
#include "runtime/main_run.hpp"

namespace critsec::compare {
namespace {

using runtime::LoggedEvent;

struct Attempt {
    bool ok = false;
    TraceDivergence divergence;
    std::string outcome;
    std::string lost_update;
};

std::string label_of(const runtime::RunResult& run, int instance) {
    return instance >= 0 && instance < static_cast<int>(run.names.size()) && !run.names[instance].empty() ? run.names[instance]
                                                                                                          : fmt::format("#{}", instance);
}

// The run's draws as the runtime made them: main's recorded inputs, every other
// draw from the run's seed (a pure function of seed, instance and index).
model::DrawSource replay_draws(const runtime::RunResult& run) {
    model::DrawSource seeded = runtime::seeded_draws(run.seed);
    return [inputs = run.inputs, seeded](int instance, int draw, int64_t low, int64_t high) {
        if (instance == 0 && draw >= 0 && draw < static_cast<int>(inputs.size())) return inputs[static_cast<size_t>(draw)];
        return seeded(instance, draw, low, high);
    };
}

// `to_the_end`: the log is the whole run, so the model must be stuck where it ends and
// end with the run's outcome; otherwise only its steps are replayed (a run stopped while
// its processes still moved).
Attempt replay(const model::Program& program, const runtime::RunResult& run, const std::vector<const LoggedEvent*>& order,
               const std::string& observed, bool to_the_end) {
    Attempt a;
    // The run's own machine: cpu_count() is this one's, as OsWorld answers it.
    checker::LoggingWorld world(program, model::machine_cpu_count());
    std::vector<checker::Access> accesses;
    LostUpdateWatch lost;
    model::DrawSource draws = replay_draws(run);
    std::vector<std::string> tail;
    auto fail = [&](const LoggedEvent* e, std::string model_did) {
        a.ok = false;
        a.divergence = TraceDivergence{e ? e->seq : 0,
                                       e ? e->instance : -1,
                                       e ? label_of(run, e->instance) : "",
                                       e ? e->pc : -1,
                                       e ? readable_what(e->what, run.names) : "",
                                       std::move(model_did)};
        return a;
    };
    model::run_locals(program, world.processes.front(), world, draws);
    for (size_t k = 0; k < order.size(); ++k) {
        const LoggedEvent* e = order[k];
        const model::ProcessState* found = world.lookup(e->instance);
        if (!found) return fail(e, "no such process has been started in the model");
        // A copy: start() grows world.processes and may move the state.
        model::ProcessState state = *found;
        model::run_locals(program, state, world, draws);
        if (state.finished) return fail(e, fmt::format("{} has already ended in the model", state.label));
        model::Event ev{state.instance, state.pc, ""};
        bool read_under_way = state.reading && !state.reading->got.empty();
        accesses.clear();
        world.log = &accesses;
        // A process sent a signal ends by it at its next move (model::end_by_signal).
        model::StepResult o = state.pending_signal ? (model::end_by_signal(state, &ev), model::StepResult::Finished)
                                                   : model::execute_step(program, state, world, &ev);
        world.log = nullptr;
        if (o == model::StepResult::Blocked) return fail(e, fmt::format("pc {}: blocked, cannot take this step", state.pc));
        std::string logged = readable_what(e->what, run.names);
        if (ev.pc != e->pc || !same_step_text(e->what, logged, ev.what)) return fail(e, fmt::format("pc {}: {}", ev.pc, ev.what));
        lost.step(program, state, read_under_way, ev.pc, ev.what, accesses);
        model::run_locals(program, state, world, draws);
        *world.find(e->instance) = std::move(state);
        for (const auto& line : world.output)
            if (line.instance == 0) tail.push_back(line.text);
        world.output.clear();
    }
    if (!to_the_end) {
        a.ok = true;
        return a;
    }
    // The log is over: nobody in the model may be able to go on.
    std::vector<std::string> stuck;
    for (size_t i = 0; i < world.processes.size(); ++i) {
        model::run_locals(program, world.processes[i], world, draws);
        // A signal the child could not defer (SIGKILL, or SIGTERM before its first step)
        // ends it in the kernel, where nothing logs it.
        if (std::as_const(world.processes)[i].pending_signal != 0) model::end_by_signal(world.processes[i]);
        if (world.processes[i].finished) continue;
        model::MemoryWorld trial = world;
        model::ProcessState state = std::as_const(trial.processes)[i];
        model::Event ev{state.instance, state.pc, ""};
        if (model::execute_step(program, state, trial, &ev) != model::StepResult::Blocked)
            return fail(nullptr, fmt::format("the log ends, but {} can still take pc {}: {}", state.label, ev.pc, ev.what));
        stuck.push_back(world.processes[i].label);
    }
    a.outcome = world.outcome_text();
    for (const auto& line : tail) a.outcome += fmt::format("main prints: {}\n", line);
    if (!stuck.empty()) a.outcome += fmt::format("deadlock: {} blocked\n", fmt::join(stuck, ", "));
    if (a.outcome != observed) return fail(nullptr, "the model ends with another outcome");
    a.ok = true;
    a.lost_update = lost.found();
    return a;
}

}  // namespace

const char* trace_verdict_name(TraceVerdict v) {
    switch (v) {
        case TraceVerdict::Replays: return "replays";
        case TraceVerdict::Diverges: return "diverges";
        case TraceVerdict::NotChecked: return "not checked";
    }
    return "?";
}

TraceCheck validate_trace(const model::Program& program, const runtime::RunResult& run, const std::string& observed) {
    TraceCheck out;
    if (run.log.dropped > 0) {
        out.note = fmt::format("the event log lost {} steps past its capacity", run.log.dropped);
        return out;
    }
    // The log's order is the real order (the runtime numbers a step together with its
    // access, runtime/step_lock.hpp): it is replayed as it stands, and a step that does
    // not replay is a disagreement between the machine and the model, never reordered.
    std::vector<const LoggedEvent*> order;
    for (const auto& e : run.log.events) order.push_back(&e);
    // A run stopped while its processes still moved (a livelock, a timeout, Ctrl-C) has a
    // log that is a prefix of an execution, and a step killed between its access and its
    // record leaves a hole in it: its steps are replayed up to the first hole, the end not.
    bool stopped = run.status == runtime::RunStatus::Livelock || run.status == runtime::RunStatus::Timeout ||
                   run.status == runtime::RunStatus::Interrupted;
    if (stopped) {
        size_t whole = 0;
        while (whole < order.size() && order[whole]->seq == whole) ++whole;
        order.resize(whole);
        Attempt prefix = replay(program, run, order, observed, false);
        if (!prefix.ok) {
            out.verdict = TraceVerdict::Diverges;
            out.divergence = prefix.divergence;
            return out;
        }
        out.note = fmt::format("the run was stopped ({}): its first {} logged steps replay, its end is not checked",
                               runtime::run_status_name(run.status), whole);
        return out;
    }
    Attempt replayed = replay(program, run, order, observed, true);
    out.model_outcome = replayed.outcome;
    if (replayed.ok) {
        out.verdict = TraceVerdict::Replays;
        out.lost_update = replayed.lost_update;
        return out;
    }
    out.verdict = TraceVerdict::Diverges;
    out.divergence = replayed.divergence;
    return out;
}

}  // namespace critsec::compare
