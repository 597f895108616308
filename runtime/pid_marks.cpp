#include "runtime/pid_marks.hpp"

#include <cstdlib>

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

}  // namespace critsec::runtime
