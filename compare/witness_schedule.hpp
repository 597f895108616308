#pragma once
// A checker witness as the runtime takes it: the instance of every step in
// order, and every randint value (children's draws, then main's inputs). The
// runtime knows nothing of the checker; this is the one conversion, in compare/
// (which holds both) so that `critsec replay` and the tests share it.
#include "checker/verdict.hpp"
#include "runtime/turn_schedule.hpp"

namespace critsec::compare {

runtime::ReplaySchedule schedule_of(const checker::Witness& w);

}  // namespace critsec::compare
