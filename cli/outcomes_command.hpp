#pragma once
// `critsec outcomes spec.crit`: every reachable final outcome, each with one
// witness, marked where no serial execution reaches it.
#include <CLI/CLI.hpp>

namespace critsec::cli {

void add_outcomes_command(CLI::App& app, int& exit_status);

}  // namespace critsec::cli
