#pragma once
// A trace as a standalone SVG sequence chart: one lifeline per process, each
// step a box with its source line, the shared state it changes beside it,
// reads-from arrows (a load from the write it read), the stale store and the
// write it lost in red with the arrows that explain them, a deadlock's
// wait-for edges, and a lasso's cycle bracketed. Written directly (no tool to
// install): the picture is the product.
#include <string>
#include <vector>

#include "chart/sequence_chart.hpp"

namespace critsec::chart {

struct TitledTrace {
    std::string title;  // "counterexample: lost update"
    Trace trace;
};

// Several charts one under the other, under a caption (the spec's path).
std::string render_svg(const std::string& caption, const std::vector<TitledTrace>& charts);

// For XML text and attribute values.
std::string xml_escaped(const std::string& text);

}  // namespace critsec::chart
