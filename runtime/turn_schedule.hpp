#pragma once
// Forcing one interleaving on the real processes of a run (`critsec replay`):
// before every step a process waits for its turn, the turn being a position in
// a schedule of instance numbers; once its step (and the local code after it,
// which a model move includes) is done, it passes the turn on. The turn counter
// and one wake-up word per process instance live in a shared mapping made
// before the first fork; a child sleeps on its own word (futex) and is woken
// only when the turn becomes its own. main, interpreted by the supervisor,
// never sleeps here: it is told "not yet" and tries again while it supervises.
//
// randint() values come from the schedule too (the checker's witness), so the
// real processes compute what the model computed. Past the schedule's end every
// process runs freely: a replay of a complete witness then has only blocked
// steps left (a deadlock), or none.
//
// This is plain runtime data: the CLI converts a checker Witness into it.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/semantics.hpp"
#include "runtime/shared_mapping.hpp"

namespace critsec::runtime {

struct ScheduledDraw {
    int instance;
    int index;  // the process's n-th randint, from 0
    int64_t value;
};

struct ReplaySchedule {
    std::vector<int> turns;            // the instance that takes each step, in order (0 is main)
    std::vector<ScheduledDraw> draws;  // a draw not listed takes its range's low end, as the checker's replay does
};

class TurnSchedule {
public:
    // Maps the shared turn words; must be made before the run's first fork.
    TurnSchedule(ReplaySchedule schedule, int instances);

    // Back to the first turn (between runs, while no process of a run is alive).
    void reset() const;

    // True when `instance` may take its next step: it is its turn, or the schedule
    // is over. With `wait`, sleeps until then (a child); without, answers at once (main).
    bool await(int instance, bool wait) const;
    // `instance` took its step: the next turn, and its owner woken.
    void pass(int instance) const;

    size_t taken() const;  // turns taken so far
    size_t size() const { return schedule_.turns.size(); }
    const ReplaySchedule& schedule() const { return schedule_; }

    // The schedule's draws as the semantics asks for them.
    model::DrawSource draws() const;

private:
    std::atomic<uint32_t>& turn() const;
    std::atomic<uint32_t>& wake(int instance) const;

    ReplaySchedule schedule_;  // copied into every child by fork, never written after
    int instances_;
    SharedMapping mapping_;
};

}  // namespace critsec::runtime
