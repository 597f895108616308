#pragma once
// How wide and how colourful the output may be: `--color auto|always|never`
// (auto: colour only on a terminal, and never when NO_COLOR is set, as
// no-color.org asks), the width from $COLUMNS, else the terminal's, else 100.
#include <string>

#include <CLI/CLI.hpp>

#include "chart/sequence_chart.hpp"

namespace critsec::cli {

void add_color_option(CLI::App* cmd, std::string& choice);

// For what goes to stdout.
chart::Layout terminal_layout(const std::string& color_choice);

}  // namespace critsec::cli
