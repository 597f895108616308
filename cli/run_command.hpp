#pragma once
// `critsec run`: executes a spec for real, many times, and counts the outcomes.
#include <CLI/CLI.hpp>

namespace critsec::cli {

void add_run_command(CLI::App& app, int& exit_status);

}  // namespace critsec::cli
