#pragma once
// Indents every line of a multi-line text (outcomes, witnesses) for a listing.
#include <string>

namespace critsec::cli {

inline std::string indent(const std::string& text, const std::string& by) {
    std::string out;
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        out += by + text.substr(start, nl - start) + "\n";
        start = nl + 1;
    }
    return out;
}

}  // namespace critsec::cli
