#pragma once
// Text that fits a terminal: widths in columns (code points: critsec's charts
// use no wide characters), cells cut with an ellipsis, prose wrapped at word
// boundaries under a hanging indent. Every chart and every verdict line goes
// through here, so `COLUMNS=100` means no line longer than 100 columns.
#include <string>
#include <vector>

namespace critsec::chart {

size_t display_width(const std::string& text);

// `text` padded with spaces to `width` columns (never cut).
std::string pad(const std::string& text, size_t width);

// `text` cut to at most `width` columns, the last one an ellipsis when cut.
std::string clip(const std::string& text, size_t width);

// The lines of `text` (one paragraph) at most `width` columns wide: breaks at
// spaces, a word longer than a line is cut into pieces. The first line starts
// after `first_indent` columns (already printed by the caller); the others are
// indented by `indent` spaces, which are part of the returned lines.
std::vector<std::string> wrap(const std::string& text, size_t width, size_t first_indent, size_t indent);

// wrap() joined with newlines, ending in one.
std::string wrapped(const std::string& text, size_t width, size_t first_indent, size_t indent);

}  // namespace critsec::chart
