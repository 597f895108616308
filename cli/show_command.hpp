#pragma once
// `critsec show`: every process's numbered atomic steps, with their source lines.
#include <CLI/CLI.hpp>

namespace critsec::cli {

void add_show_command(CLI::App& app, int& exit_status);

}  // namespace critsec::cli
