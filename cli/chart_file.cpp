#include "cli/chart_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "cli/exit_codes.hpp"

namespace critsec::cli {

void add_chart_option(CLI::App* cmd, ChartFile& chart, const std::string& what) {
    cmd->add_option("--chart", chart.args, "draw " + what + " as a standalone SVG sequence chart: --chart svg FILE")
        ->expected(2)
        ->type_name("svg FILE");
}

bool chart_format_known(const ChartFile& chart) {
    if (!chart.wanted() || chart.args[0] == "svg") return true;
    fmt::print(stderr, "critsec: --chart {}: the one chart format is svg (--chart svg FILE)\n", chart.args[0]);
    return false;
}

int write_chart_file(const ChartFile& chart, const std::string& caption, const std::vector<chart::TitledTrace>& charts) {
    std::string svg = chart::render_svg(caption, charts);
    std::ofstream out(chart.args[1], std::ios::binary | std::ios::trunc);
    if (out) out << svg;
    if (out) out.close();
    if (!out) {
        fmt::print(stderr, "critsec: cannot write the chart to {}: {}\n", chart.args[1], std::strerror(errno));
        return exit_code::cant_create;
    }
    return exit_code::ok;
}

}  // namespace critsec::cli
