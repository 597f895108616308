#pragma once
// `critsec replay spec.crit`: a checker counterexample (or an outcome's
// witness) forced onto the real fork runtime, turn by turn, to show that real
// processes produce the predicted bad outcome. Exit 0 when they do, 1 when the
// model and the machine disagree, 2 when there is nothing to replay.
#include <CLI/CLI.hpp>

namespace critsec::cli {

void add_replay_command(CLI::App& app, int& exit_status);

}  // namespace critsec::cli
