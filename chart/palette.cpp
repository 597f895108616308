#include "chart/palette.hpp"

namespace critsec::chart {

std::string Palette::paint(const std::string& text, Paint how) const {
    if (!on || text.empty()) return text;
    const char* code = "";
    switch (how) {
        case Paint::Bad: code = "\033[1;31m"; break;
        case Paint::Good: code = "\033[32m"; break;
        case Paint::Undecided: code = "\033[33m"; break;
        case Paint::Quiet: code = "\033[2m"; break;
        case Paint::Strong: code = "\033[1m"; break;
    }
    return code + text + "\033[0m";
}

}  // namespace critsec::chart
