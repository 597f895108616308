#include "checker/verdict.hpp"

#include <fmt/format.h>

namespace critsec::checker {

const char* verdict_name(Verdict v) {
    switch (v) {
        case Verdict::Proved: return "PROVED";
        case Verdict::Violated: return "VIOLATED";
        case Verdict::Bounded: return "BOUNDED";
        case Verdict::Unknown: return "UNKNOWN";
        case Verdict::Unreached: return "UNREACHED";
    }
    return "?";
}

std::optional<Verdict> parse_verdict(const std::string& name) {
    for (Verdict v : {Verdict::Proved, Verdict::Violated, Verdict::Bounded, Verdict::Unknown, Verdict::Unreached})
        if (name == verdict_name(v)) return v;
    return std::nullopt;
}

std::string livelock_line(const std::vector<std::string>& spinning, const std::vector<std::string>& blocked) {
    std::string line = fmt::format("livelock: {} spinning", fmt::join(spinning, ", "));
    return line + (blocked.empty() ? "\n" : fmt::format("; {} blocked\n", fmt::join(blocked, ", ")));
}

}  // namespace critsec::checker
