#include "checker/witness/schedule_witness.hpp"

#include <fmt/format.h>

#include "checker/explorer/machine.hpp"
#include "checker/explorer/replay.hpp"

namespace critsec::checker {
namespace {

const model::ProcessState* by_label(const MachineState& s, const std::string& label) {
    for (const auto& p : s.world.processes)
        if (p.label == label) return &p;
    return nullptr;
}

std::vector<std::string> labels(const MachineState& s) {
    std::vector<std::string> out;
    for (const auto& p : s.world.processes) out.push_back(p.label);
    return out;
}

// "step 2 (line 21: store total.value ...)": where a process stands.
std::string standing(const PreparedProgram& prepared, const model::ProcessState& p) {
    const auto& code = prepared.code(p.process);
    const auto& instr = code.code.at(p.pc);
    std::string what;  // describe_step pads its columns for `show`: one space here
    for (char c : model::describe_step(instr, code, prepared.program))
        if (c != ' ' || what.empty() || what.back() != ' ') what += c;
    return fmt::format("step {} (line {}: {})", instr.step, instr.loc.line, what);
}

// Why `e` cannot be taken in `s`, or "" when it can be tried.
Diagnostic misfit(const PreparedProgram& prepared, const MachineState& s, const ScheduleEntry& e) {
    Diagnostic d{Severity::Error, e.loc, e.length, "", ""};
    const model::ProcessState* p = by_label(s, e.process);
    if (!p) {
        std::vector<std::string> now = labels(s);
        d.message = fmt::format("no process `{}` at this point of the schedule", e.process);
        std::string near = closest_name(e.process, now);
        // `Adder#9` near `Adder#1` is a count too far, not a typo: list who exists.
        if (near.substr(0, near.find('#')) == e.process.substr(0, e.process.find('#'))) near.clear();
        d.hint = near.empty() ? fmt::format("the processes so far: {} (main creates the others as it runs)", fmt::join(now, ", "))
                              : fmt::format("did you mean `{}`?", near);
    } else if (p->finished) {
        d.message = fmt::format("{} has already finished{}: it takes no step {}", e.process,
                                p->error.empty() ? "" : fmt::format(" ({})", p->error), e.step);
    } else if (int at = prepared.code(p->process).code.at(p->pc).step; at != e.step) {
        d.message = fmt::format("{} stands at {}, not at step {}", e.process, standing(prepared, *p), e.step);
        d.hint = "each process takes its steps in its own order: `critsec show` numbers them";
    }
    return d;
}

// Whether the state after the last step is the one before the cycle's first (loops uncounted).
bool closes_cycle(const PreparedProgram& prepared, const Witness& w) {
    Replayed r = replay_witness(prepared, w, /*fingerprint_rows=*/true);
    return r.ok && r.fingerprints.size() == w.steps.size() + 1 && r.fingerprints.at(w.cycle_from) == r.fingerprints.back();
}

}  // namespace

ScheduledWitness witness_of_schedule(const PreparedProgram& prepared, const ParsedSchedule& schedule, const std::vector<int64_t>& inputs) {
    ScheduledWitness out;
    Witness w;
    w.inputs = inputs;
    Machine machine(prepared, Watch{}, DrawPolicy{}, 1 << 30, false);
    auto init = machine.replay(MachineState(prepared.program), -1, w.draws, w.inputs);
    if (!init) {
        out.diagnostics.push_back({Severity::Error, {1, 1}, 1, "main's code before its first step does not run", ""});
        return out;
    }
    MachineState s = std::move(init->next);
    take_loop_markers(machine, s, 0, w);
    for (const auto& e : schedule.entries) {
        Diagnostic d = misfit(prepared, s, e);
        if (!d.message.empty()) {
            out.diagnostics.push_back(std::move(d));
            return out;
        }
        const model::ProcessState& p = *by_label(s, e.process);
        int instance = p.instance;
        auto t = machine.replay(s, instance, w.draws, w.inputs);
        if (!t) {
            out.diagnostics.push_back({Severity::Error, e.loc, e.length,
                                       fmt::format("{} cannot take {} here: it is blocked", e.process, standing(prepared, p)),
                                       "another process must move first (a lock or a semaphore it waits for, a child it joins)"});
            return out;
        }
        s = std::move(t->next);
        take_loop_markers(machine, s, instance, w);
        TraceStep step{};
        step.instance = instance;
        step.process = e.process;
        step.step = e.step;
        w.steps.push_back(std::move(step));
    }
    w.cycle_from = schedule.cycle_from;
    if (w.cycle_from >= 0 && !closes_cycle(prepared, w)) {
        const ScheduleEntry& first = schedule.entries.at(w.cycle_from);
        out.diagnostics.push_back({Severity::Error, first.loc, first.length,
                                   "the steps in `[...]` do not come back to the state they start from: they are no cycle",
                                   "a lasso's cycle repeats forever, so it must end where it began (`critsec check` finds such cycles)"});
        return out;
    }
    out.witness = std::move(w);
    return out;
}

}  // namespace critsec::checker
