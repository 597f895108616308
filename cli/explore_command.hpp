#pragma once
// `critsec explore spec.crit -o page.html`: a page where the student is the
// scheduler, built from the spec's whole state graph.
#include <CLI/CLI.hpp>

namespace critsec::cli {

void add_explore_command(CLI::App& app, int& exit_status);

}  // namespace critsec::cli
