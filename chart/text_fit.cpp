#include "chart/text_fit.hpp"

#include <algorithm>

namespace critsec::chart {
namespace {

bool starts_code_point(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

// The byte offset after the first `columns` code points of `text`.
size_t prefix_bytes(const std::string& text, size_t columns) {
    size_t n = 0, i = 0;
    for (; i < text.size(); ++i) {
        if (starts_code_point(text[i])) {
            if (n == columns) break;
            ++n;
        }
    }
    return i;
}

}  // namespace

size_t display_width(const std::string& text) {
    return static_cast<size_t>(std::count_if(text.begin(), text.end(), starts_code_point));
}

std::string pad(const std::string& text, size_t width) {
    size_t w = display_width(text);
    return w >= width ? text : text + std::string(width - w, ' ');
}

std::string clip(const std::string& text, size_t width) {
    if (display_width(text) <= width) return text;
    if (width == 0) return "";
    return text.substr(0, prefix_bytes(text, width - 1)) + "…";
}

std::vector<std::string> wrap(const std::string& text, size_t width, size_t first_indent, size_t indent) {
    // A line always takes at least a few columns: a width smaller than the indent must not loop.
    auto room = [&](bool first) { return std::max<size_t>(8, width > (first ? first_indent : indent) ? width - (first ? first_indent : indent) : 0); };
    std::vector<std::string> lines;
    std::string line;
    size_t used = 0;
    auto flush = [&] {
        lines.push_back((lines.empty() ? "" : std::string(indent, ' ')) + line);
        line.clear();
        used = 0;
    };
    size_t i = 0;
    while (i < text.size()) {
        // A word and the spaces before it: kept inside a line ("a=1  b=2"), dropped at a break.
        size_t start = text.find_first_not_of(' ', i);
        if (start == std::string::npos) break;
        std::string gap = used > 0 ? text.substr(i, start - i) : "";
        size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        std::string word = text.substr(start, end - start);
        i = end;
        size_t w = display_width(word);
        if (used > 0 && used + gap.size() + w > room(lines.empty())) {
            flush();
            gap.clear();
        }
        while (used == 0 && w > room(lines.empty())) {  // a word wider than a whole line: cut it
            size_t take = prefix_bytes(word, room(lines.empty()));
            line = word.substr(0, take);
            word.erase(0, take);
            w = display_width(word);
            flush();
        }
        if (word.empty()) continue;
        line += gap + word;
        used += gap.size() + w;
    }
    if (used > 0 || lines.empty()) flush();
    return lines;
}

std::string wrapped(const std::string& text, size_t width, size_t first_indent, size_t indent) {
    std::string out;
    for (const auto& line : wrap(text, width, first_indent, indent)) out += line + "\n";
    return out;
}

}  // namespace critsec::chart
