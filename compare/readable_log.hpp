#pragma once
// A run's event log with the pids in its texts shown as names. The runtime
// writes a print's text quoted (`print "PID \x1e3\x1f"`), so the pid marks inside
// it arrive escaped and expand_pid_marks does not see them; the model writes
// `Adder#3` there. Both sides must read alike before a step can be compared.
#include <string>
#include <vector>

#include "runtime/run_result.hpp"

namespace critsec::compare {

// `\x1e3\x1f` (escaped) -> names[3]; raw marks too.
std::string readable_what(const std::string& what, const std::vector<std::string>& names);

// The run's log, every `what` readable.
std::vector<runtime::LoggedEvent> readable_events(const runtime::RunResult& run);

// Does the logged step's text (readable) say what the model's step says? The log
// keeps at most runtime::kWhatBytes - 1 bytes of the (escaped) text: a cut one
// need only be a prefix of the model's.
bool same_step_text(const std::string& logged_raw, const std::string& logged_readable, const std::string& model_what);

}  // namespace critsec::compare
