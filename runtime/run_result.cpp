#include "runtime/run_result.hpp"

#include <fmt/format.h>

namespace critsec::runtime {

const char* run_status_name(RunStatus status) {
    switch (status) {
        case RunStatus::Ok: return "ok";
        case RunStatus::Error: return "error";
        case RunStatus::Deadlock: return "deadlock";
        case RunStatus::Livelock: return "livelock";
        case RunStatus::Timeout: return "timeout";
        case RunStatus::Interrupted: return "interrupted";
    }
    return "?";
}

std::string RunResult::outcome() const {
    std::string out;
    if (status != RunStatus::Ok) {
        out += run_status_name(status);
        for (size_t i = 0; i < problems.size(); ++i) out += (i ? "; " : ": ") + problems[i];
        out += " | ";
    }
    for (size_t i = 0; i < final_state.size(); ++i) out += (i ? "; " : "") + final_state[i];
    if (!main_output.empty()) {
        out += final_state.empty() ? "main printed" : " | main printed";
        for (const auto& line : main_output) out += fmt::format(" {:?}", line);
    }
    return out;
}

std::string RunResult::show(const OutputLine& line) const {
    std::string who = line.instance >= 0 && line.instance < static_cast<int>(names.size()) ? names[line.instance] : "?";
    int pid = line.instance >= 0 && line.instance < static_cast<int>(pids.size()) ? pids[line.instance] : 0;
    return "[" + who + " " + std::to_string(pid) + "] " + line.text;
}

}  // namespace critsec::runtime
