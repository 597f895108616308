#pragma once
// `critsec check spec.crit`: every property (each assert, lost update,
// deadlock, runtime errors, and the watches the spec's `# expect:` lines state)
// with its verdict, and a counterexample chart for each violation.
#include <CLI/CLI.hpp>

namespace critsec::cli {

void add_check_command(CLI::App& app, int& exit_status);

}  // namespace critsec::cli
