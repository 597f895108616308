#pragma once
// A child's SIGTERM (p.terminate(), main's exit for a daemon) takes effect where
// the model puts a process's end by a signal: between two of its steps, never
// inside one (model::end_by_signal). The child blocks SIGTERM, looks for it
// between steps and inside the waits a step may make (a lock, a semaphore, a
// sleep, a wait that never ends), and then ends by it for real: the kernel's
// SIGTERM, its default action. A step cut short by it has not happened. SIGKILL
// (p.kill()) cannot be blocked: main announces it in the child's slot, and the
// child ends itself by it at its next step; one that does not come to a step
// soon enough is killed where the kernel finds it (MainRun::signal_child).
#include <csignal>
#include <cstdint>

#include "runtime/sync.hpp"

namespace critsec::runtime {

// Thrown out of a wait that SIGTERM cut short (the step did not happen), or
// between two steps when main announced SIGKILL.
struct Terminated {
    int signal = SIGTERM;
};

// (A child is forked with SIGTERM blocked, so that it waits for the child to look:
// ChildSignals::sigterm_deferred.)
// Whether a SIGTERM waits.
bool termination_pending();
// Lets the waiting SIGTERM end the process, as its default action does.
[[noreturn]] void end_by_termination();
// Ends the process by SIGKILL, sent to itself.
[[noreturn]] void end_by_kill();

// The waits a child's step may make, each cut short by SIGTERM (Terminated):
void sleep_unless_terminated(double seconds);
[[noreturn]] void wait_for_termination();
AcquireResult acquire_lock_unless_terminated(SharedLock& lock, int instance);
void acquire_semaphore_unless_terminated(SharedSemaphore& sem);

}  // namespace critsec::runtime
