#pragma once
// `critsec run`: executes a spec for real, many times, and counts the outcomes.
#include <CLI/CLI.hpp>

namespace critsec::cli {

void add_run_command(CLI::App& app, int& exit_status);

// `run` and `compare` alike. A spin proven (the same state again, nothing shared
// changed) is a livelock however long it lasts; the window is there for the proofs
// of the processes that spin to come in, so a short one is safe, and makes runs
// that all livelock affordable by the thousand (bench/agreement.sh).
inline constexpr const char* kLivelockAfterHelp =
    "seconds that every process that can go on spins, proven, with nothing shared changing, before a run counts as "
    "livelock (0: never)";

}  // namespace critsec::cli
