#pragma once
// `critsec suite [dir]`: the main job: every spec of a folder, one table.
#include <CLI/CLI.hpp>

namespace critsec::cli {

void add_suite_command(CLI::App& app, int& exit_status);

}  // namespace critsec::cli
