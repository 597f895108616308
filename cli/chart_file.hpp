#pragma once
// `--chart svg FILE`: the command's traces drawn as a standalone SVG sequence chart.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "chart/svg_chart.hpp"

namespace critsec::cli {

struct ChartFile {
    std::vector<std::string> args;  // {"svg", path} when given
    bool wanted() const { return args.size() == 2; }
};

void add_chart_option(CLI::App* cmd, ChartFile& chart, const std::string& what);

// False, with a message, for a format other than svg: a usage error.
bool chart_format_known(const ChartFile& chart);

// Writes the charts (none: a chart that says so). Returns an exit code: ok, or
// cant_create with a message on stderr when the file cannot be written.
int write_chart_file(const ChartFile& chart, const std::string& caption, const std::vector<chart::TitledTrace>& charts);

}  // namespace critsec::cli
