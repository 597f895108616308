#include "compare/trace_validation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "compare/readable_log.hpp"
#include "model/cpu_count.hpp"
#include "model/memory_world.hpp"
#include "model/semantics.hpp"
#include "runtime/arena.hpp"
#include "runtime/main_run.hpp"

namespace critsec::compare {
namespace {

using runtime::LoggedEvent;

// How far the log's order may be off before it is called wrong: at most this
// many steps moved, each by at most kWindow places. A log that needs more is
// not the misordering the runtime admits.
constexpr int kMaxMoves = 4;
constexpr size_t kWindow = 12;
// How far back from the end a log whose steps all replay is searched for a swap.
constexpr size_t kEndSearch = 512;

struct Attempt {
    bool ok = false;
    size_t failed_at = 0;  // index into the order when !ok (== size: at the end)
    TraceDivergence divergence;
    std::string outcome;
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

Attempt replay(const model::Program& program, const runtime::RunResult& run, const std::vector<const LoggedEvent*>& order,
               const std::string& observed) {
    Attempt a;
    // The run's own machine: cpu_count() is this one's, as OsWorld answers it.
    model::MemoryWorld world(program, model::machine_cpu_count());
    model::DrawSource draws = replay_draws(run);
    std::vector<std::string> tail;
    auto fail = [&](size_t k, const LoggedEvent* e, std::string model_did) {
        a.ok = false;
        a.failed_at = k;
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
        if (!found) return fail(k, e, "no such process has been started in the model");
        // A copy: start() grows world.processes and may move the state.
        model::ProcessState state = *found;
        model::run_locals(program, state, world, draws);
        if (state.finished) return fail(k, e, fmt::format("{} has already ended in the model", state.label));
        model::Event ev{state.instance, state.pc, ""};
        // A process sent a signal ends by it at its next move (model::end_by_signal).
        model::StepResult o = state.pending_signal ? (model::end_by_signal(state, &ev), model::StepResult::Finished)
                                                   : model::execute_step(program, state, world, &ev);
        if (o == model::StepResult::Blocked) return fail(k, e, fmt::format("pc {}: blocked, cannot take this step", state.pc));
        std::string logged = readable_what(e->what, run.names);
        if (ev.pc != e->pc || !same_step_text(e->what, logged, ev.what)) return fail(k, e, fmt::format("pc {}: {}", ev.pc, ev.what));
        model::run_locals(program, state, world, draws);
        *world.find(e->instance) = std::move(state);
        for (const auto& line : world.output)
            if (line.instance == 0) tail.push_back(line.text);
        world.output.clear();
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
            return fail(order.size(), nullptr, fmt::format("the log ends, but {} can still take pc {}: {}", state.label, ev.pc, ev.what));
        stuck.push_back(world.processes[i].label);
    }
    a.outcome = world.outcome_text();
    for (const auto& line : tail) a.outcome += fmt::format("main prints: {}\n", line);
    if (!stuck.empty()) a.outcome += fmt::format("deadlock: {} blocked\n", fmt::join(stuck, ", "));
    if (a.outcome != observed) return fail(order.size(), nullptr, "the model ends with another outcome");
    a.ok = true;
    return a;
}

}  // namespace

const char* trace_verdict_name(TraceVerdict v) {
    switch (v) {
        case TraceVerdict::Replays: return "replays";
        case TraceVerdict::OrderAmbiguous: return "log order ambiguous";
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
    std::vector<const LoggedEvent*> order;
    for (const auto& e : run.log.events) order.push_back(&e);
    Attempt first = replay(program, run, order, observed);
    out.model_outcome = first.outcome;
    if (first.ok) {
        out.verdict = TraceVerdict::Replays;
        return out;
    }
    // Try moving one step a few places, across steps of other processes only,
    // around the point where the replay parted: the failing step may have happened
    // earlier or later than logged, or a step logged before it may have happened
    // after it (a store that only shows at a later load), or two steps just before
    // it were logged the wrong way round. Of all those moves, keep the one that
    // replays furthest: the first that merely gets past the failure can be a
    // detour (a load moved before the wrong one of two stores) that no later move
    // undoes.
    auto current = order;
    Attempt last = first;
    for (int moves = 0; moves < kMaxMoves && !last.ok; ++moves) {
        size_t f = std::min(last.failed_at, current.size() - 1);
        std::vector<std::pair<size_t, size_t>> candidates;  // (from, to)
        for (size_t d = 1; d <= kWindow; ++d) {
            if (f >= d) candidates.emplace_back(f, f - d);                  // it happened earlier
            if (f >= d) candidates.emplace_back(f - d, f);                  // an earlier step happened after it
            if (f + d < current.size()) candidates.emplace_back(f, f + d);  // it happened later
            if (f >= d + 1) candidates.emplace_back(f - d - 1, f - d);      // two earlier steps swapped
        }
        // Every step replayed but the outcome differs: two stores whose values do
        // not depend on each other were logged in the wrong order, anywhere in the
        // log. Nothing points at them, so try each adjacent pair, latest first.
        if (last.failed_at >= current.size())
            for (size_t k = current.size() - 1; k-- > 0 && current.size() - k <= kEndSearch;) candidates.emplace_back(k, k + 1);
        std::optional<Attempt> best;
        std::vector<const LoggedEvent*> best_order;
        std::pair<size_t, size_t> best_move;
        for (auto [from, to] : candidates) {
            // Never across a step of the same process: each process's own order is exact.
            size_t lo = std::min(from, to), hi = std::max(from, to);
            bool crosses_own = false;
            for (size_t k = lo; k <= hi && !crosses_own; ++k) crosses_own = k != from && current[k]->instance == current[from]->instance;
            if (crosses_own) continue;
            auto trial = current;
            const LoggedEvent* moved = trial[from];
            trial.erase(trial.begin() + static_cast<std::ptrdiff_t>(from));
            trial.insert(trial.begin() + static_cast<std::ptrdiff_t>(to), moved);
            Attempt t = replay(program, run, trial, observed);
            bool better = t.ok || (t.failed_at > last.failed_at && (!best || t.failed_at > best->failed_at));
            if (!better) continue;
            best = std::move(t);
            best_order = std::move(trial);
            best_move = {from, to};
            if (best->ok) break;
        }
        if (!best) break;
        out.moved.push_back({current[best_move.first]->seq, static_cast<int>(best_move.second) - static_cast<int>(best_move.first)});
        current = std::move(best_order);
        last = std::move(*best);
    }
    if (last.ok) {
        out.verdict = TraceVerdict::OrderAmbiguous;
        out.model_outcome = last.outcome;
        return out;
    }
    out.moved.clear();
    out.verdict = TraceVerdict::Diverges;
    out.divergence = first.divergence;
    return out;
}

}  // namespace critsec::compare
