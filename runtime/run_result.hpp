#pragma once
// What one run of a spec produced, and the outcome it counts as.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "runtime/event_log.hpp"

namespace critsec::runtime {

enum class RunStatus { Ok, Error, Deadlock, Livelock, Timeout, Interrupted };
const char* run_status_name(RunStatus status);

struct OutputLine {
    uint64_t seq;
    int instance;
    std::string text;  // as printed: pids are the real ones
};

struct RunResult {
    uint64_t seed = 0;
    RunStatus status = RunStatus::Ok;
    std::vector<std::string> problems;     // "main: AssertionError: lost update", "Adder#1 waits for a (held by Adder#2)"
    std::vector<std::string> final_state;  // as the model writes them: "total.value = 55", "file f.txt = \"71\""
    std::vector<std::string> main_output;  // main's lines, pids shown as names
    std::vector<OutputLine> output;        // every print, in step order
    std::vector<std::string> names;        // by instance: "main", "Adder#1", ...
    std::vector<int> pids;                 // by instance
    std::set<int> failed_asserts;          // AssertInfo indices
    std::vector<int64_t> inputs;           // main's randint draws, in order: the run's input vector
    std::vector<std::string> unfinished;   // by instance: processes started (main too) that neither finished nor failed
    std::vector<std::string> spinning;     // by instance, a livelock's: the unfinished that spun (the others were blocked)
    EventLogContents log;
    double seconds = 0;

    // The histogram's key: status and problems, final shared state, main's output.
    std::string outcome() const;
    // A line as shown: `[Adder#3 12345] text`.
    std::string show(const OutputLine& line) const;
};

}  // namespace critsec::runtime
