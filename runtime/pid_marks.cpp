#include "runtime/pid_marks.hpp"

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace critsec::runtime {

std::string expand_pid_marks(const std::string& text, const std::function<std::string(int)>& show) {
    if (text.find(kPidMarkOpen) == std::string::npos) return text;
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
        size_t open = text.find(kPidMarkOpen, i);
        size_t close = open == std::string::npos ? open : text.find(kPidMarkClose, open);
        if (close == std::string::npos) {
            out.append(text, i, std::string::npos);
            break;
        }
        out.append(text, i, open - i);
        out += show(std::atoi(text.substr(open + 1, close - open - 1).c_str()));
        i = close + 1;
    }
    return out;
}

std::string expand_quoted_pid_marks(const std::string& text, const std::function<std::string(int)>& show) {
    static constexpr std::string_view open = "\\x1e", close = "\\x1f";
    if (text.find(open) == std::string::npos) return text;
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
        if (text[i] != '\\') {
            out += text[i++];
            continue;
        }
        // Escapes are read from the left, so `\\x1e` is a backslash and then "x1e".
        std::string_view rest = std::string_view(text).substr(i);
        size_t digits = open.size() + (rest.size() > open.size() && rest[open.size()] == '-');
        size_t end = digits;
        while (end < rest.size() && rest[end] >= '0' && rest[end] <= '9') ++end;
        if (rest.starts_with(open) && end > digits && rest.substr(end).starts_with(close)) {
            out += show(std::atoi(std::string(rest.substr(open.size(), end - open.size())).c_str()));
            i += end + close.size();
        } else {
            out.append(rest.substr(0, 2));
            i += std::min<size_t>(2, rest.size());
        }
    }
    return out;
}

}  // namespace critsec::runtime
