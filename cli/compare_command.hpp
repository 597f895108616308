#pragma once
// `critsec compare`: real runs against the model's predicted outcomes, side by
// side, and every run's event log replayed in the model.
#include <CLI/CLI.hpp>

namespace critsec::cli {

void add_compare_command(CLI::App& app, int& exit_status);

}  // namespace critsec::cli
