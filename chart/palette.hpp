#pragma once
// Colour on a terminal: what is wrong in red, what holds in green, what is
// undecided in yellow. Off, it paints nothing: the same text, byte for byte,
// so widths are always measured on the plain text and painted afterwards.
#include <string>

namespace critsec::chart {

enum class Paint { Bad, Good, Undecided, Quiet, Strong };

struct Palette {
    bool on = false;
    std::string paint(const std::string& text, Paint how) const;
};

}  // namespace critsec::chart
