#include "compare/readable_log.hpp"

#include <cctype>

#include "runtime/arena.hpp"
#include "runtime/pid_marks.hpp"

namespace critsec::compare {

std::string readable_what(const std::string& what, const std::vector<std::string>& names) {
    auto name = [&](int i) { return i < 0 ? std::string("shell") : i < static_cast<int>(names.size()) ? names[i] : std::string("?"); };
    static const std::string open = "\\x1e", close = "\\x1f";
    std::string out;
    size_t at = 0;
    while (at < what.size()) {
        size_t m = what.find(open, at);
        if (m == std::string::npos) break;
        size_t digits = m + open.size();
        size_t end = digits;
        if (end < what.size() && what[end] == '-') ++end;
        while (end < what.size() && std::isdigit(static_cast<unsigned char>(what[end]))) ++end;
        if (end == digits || what.compare(end, close.size(), close) != 0) {
            out += what.substr(at, digits - at);
            at = digits;
            continue;
        }
        out += what.substr(at, m - at) + name(std::stoi(what.substr(digits, end - digits)));
        at = end + close.size();
    }
    out += what.substr(at);
    return runtime::expand_pid_marks(out, name);
}

std::vector<runtime::LoggedEvent> readable_events(const runtime::RunResult& run) {
    std::vector<runtime::LoggedEvent> out = run.log.events;
    for (auto& e : out) e.what = readable_what(e.what, run.names);
    return out;
}

bool same_step_text(const std::string& logged_raw, const std::string& logged_readable, const std::string& model_what) {
    if (logged_raw.size() < static_cast<size_t>(runtime::kWhatBytes - 1)) return logged_readable == model_what;
    // Cut: drop an escape the cut may have split (`\x1e3` without its `\x1f`, `\x1`), then compare the prefix.
    std::string prefix = logged_readable;
    size_t open = prefix.rfind("\\x1e");
    if (open != std::string::npos && prefix.find("\\x1f", open) == std::string::npos) prefix.resize(open);
    prefix.resize(prefix.size() > 4 ? prefix.size() - 4 : 0);
    return model_what.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace critsec::compare
