#pragma once
#include <CLI/CLI.hpp>

namespace critsec::cli {

void add_grade_command(CLI::App& app, int& exit_status);

}  // namespace critsec::cli
