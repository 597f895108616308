#include "runtime/process_driver.hpp"

#include <csignal>
#include <cstring>
#include <new>
#include <variant>

#include "model/python_errors.hpp"
#include "runtime/event_log.hpp"
#include "runtime/termination.hpp"

namespace critsec::runtime {

namespace {

// main announces its signals in the slot (OsWorld::send_signal) and the process ends
// by one here, between two steps, where the model puts it (SIGKILL cannot be blocked
// and waited for; SIGTERM, blocked, may not have arrived yet: it ends by raising it).
// A SIGTERM sent from outside (kill(1)) is looked for every 64 steps, a system call.
void end_if_signalled(Driver& d, int instance) {
    if (uint32_t announced = d.arena.slot(instance).signalled.load(std::memory_order_relaxed))
        throw Terminated{static_cast<int>(announced)};
    if ((++d.steps_taken & 63) == 0 && termination_pending()) throw Terminated{};
}

DriveEnd drive_steps(Driver& d, model::ProcessState& state) {
    // A model move is a step and the local code after it: the turn passes once both are done.
    bool passing = false;
    for (;;) {
        model::run_locals(d.program, state, d.world, d.draws);
        if (passing) d.turns->pass(state.instance);
        passing = false;
        if (state.finished) break;
        if (state.instance != 0) end_if_signalled(d, state.instance);
        d.spin.before_step(d.arena, state);
        if (d.keep_going && !d.keep_going()) return DriveEnd::Stopped;
        // main (instance 0, the supervisor) must not sleep here: "not yet" is a block it retries.
        if (d.turns && !d.turns->await(state.instance, state.instance != 0)) {
            d.spin.blocked();
            return DriveEnd::Blocked;
        }
        d.perturber.before_step();
        d.world.begin_step();
        model::Event event{state.instance, state.pc, ""};
        model::StepResult outcome = model::execute_step(d.program, state, d.world, &event);
        d.world.end_step();
        if (outcome == model::StepResult::Blocked) {
            d.spin.blocked();
            return DriveEnd::Blocked;
        }
        d.spin.after_step(d.program, state, event);
        const auto& code = model::template_of(d.program, state).code;
        int step = event.pc >= 0 && event.pc < static_cast<int>(code.size()) ? code[event.pc].step : 0;
        record_event(d.arena, d.world.step_seq(), event, step);
        passing = d.turns != nullptr;
        if (outcome != model::StepResult::Ran) break;
    }
    if (passing) d.turns->pass(state.instance);
    record_end(d.program, d.arena, state);
    return state.error.empty() ? DriveEnd::Finished : DriveEnd::Failed;
}

}  // namespace

DriveEnd drive(Driver& d, model::ProcessState& state) {
    try {
        return drive_steps(d, state);
    } catch (const Terminated& signal) {
        // SIGTERM, between two steps or in a wait that did not end, or SIGKILL announced:
        // the model's end by a signal, logged and recorded, then the kernel's.
        d.world.begin_step();  // its own sequence number, not the last step's
        state.pending_signal = signal.signal;
        model::Event event{state.instance, state.pc, ""};
        model::end_by_signal(state, &event);
        record_event(d.arena, d.world.step_seq(), event, 0);
        record_end(d.program, d.arena, state);
        // Dying, though its slot says it has ended: a litmus worker is reaped, not reused.
        d.arena.slot(state.instance).exiting.store(1);
        if (signal.signal == SIGKILL) end_by_kill();
        end_by_termination();
    } catch (const std::bad_alloc&) {
        // The process's memory limit (run --max-memory), as CPython's MemoryError ends a process out of memory.
        model::fail_process(state, d.world, model::errors::out_of_memory());
        record_end(d.program, d.arena, state);
        return DriveEnd::Failed;
    }
}

void record_end(const model::Program& program, Arena& arena, const model::ProcessState& state) {
    InstanceSlot& slot = arena.slot(state.instance);
    slot.spin_epoch.store(0);
    if (state.end_signal != 0) {
        slot.end_signal = state.end_signal;
        slot.status.store(static_cast<int32_t>(SlotStatus::Signalled));
        arena.header().changes.fetch_add(1);
        return;
    }
    if (state.error.empty()) {
        slot.status.store(static_cast<int32_t>(SlotStatus::Finished));
        arena.header().changes.fetch_add(1);  // a join can now go on
        return;
    }
    const auto& code = model::template_of(program, state).code;
    slot.failed_assert = -1;
    if (state.pc >= 0 && state.pc < static_cast<int>(code.size()))
        if (const auto* a = std::get_if<model::AssertStep>(&code[state.pc].node)) slot.failed_assert = a->assert_id;
    size_t n = std::min(state.error.size(), static_cast<size_t>(kErrorBytes - 1));
    std::memcpy(slot.error, state.error.data(), n);
    slot.error[n] = '\0';
    slot.status.store(static_cast<int32_t>(SlotStatus::Failed));
    arena.header().changes.fetch_add(1);
}

}  // namespace critsec::runtime
