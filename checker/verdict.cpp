#include "checker/verdict.hpp"

namespace critsec::checker {

const char* verdict_name(Verdict v) {
    switch (v) {
        case Verdict::Proved: return "PROVED";
        case Verdict::Violated: return "VIOLATED";
        case Verdict::Bounded: return "BOUNDED";
        case Verdict::Unknown: return "UNKNOWN";
    }
    return "?";
}

std::optional<Verdict> parse_verdict(const std::string& name) {
    for (Verdict v : {Verdict::Proved, Verdict::Violated, Verdict::Bounded, Verdict::Unknown})
        if (name == verdict_name(v)) return v;
    return std::nullopt;
}

}  // namespace critsec::checker
