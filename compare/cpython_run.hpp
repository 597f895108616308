#pragma once
// One run of a Python program under the real python3, through the harness
// (cpython_harness.hpp), with the budgets of `critsec run`: a private folder
// for its files (runtime/private_folder.hpp), its own process group, killed
// whole when the run is over or past a cap (time, output), an address-space
// limit and a file-size cap, and nothing left behind: the group killed and
// reaped, the folder removed (subfolders the program made included).
//
// A deadlock is told from the outside: nothing printed or reported for
// `deadlock_after` seconds, no sleep() going on (the harness reports each),
// and every process of the group asleep in the kernel. A timed wait longer
// than that (not read by critsec yet) would be taken for one.
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace critsec::compare {

struct CPythonOptions {
    std::string python;                               // the interpreter (find_python3)
    std::string program;                              // the .py file
    std::vector<std::string> observe;                 // the Values and Arrays whose final values the harness reports
    std::vector<std::string> files;                   // the File names (inside the private folder) to read after the run
    std::optional<std::vector<int64_t>> main_inputs;  // main's draws, forced; else drawn from the run's seed
    double time_scale = 1;                            // multiplies every sleep()
    double max_run_seconds = 60;
    double deadlock_after = 10;                 // seconds of the deadlock watch (above)
    size_t max_memory_mb = 1024;                // RLIMIT_AS of the interpreter and its children
    size_t max_output_bytes = size_t{8} << 20;  // what the run prints, and its records
    std::function<bool()> interrupted;          // polled while the run goes on (Ctrl-C, --timeout)
};

enum class CPythonStatus {
    Ended,        // the interpreter exited (its records say how the program ended)
    Deadlock,     // every process blocked (above): the group was killed
    Timeout,      // past max_run_seconds: the group was killed
    OutputCap,    // printed past max_output_bytes: the group was killed
    Interrupted,  // stopped from outside
};

struct CPythonRun {
    CPythonStatus status = CPythonStatus::Ended;
    std::string why;                   // for a stopped run: what stopped it
    std::vector<std::string> records;  // the harness's JSON lines, in order
    // Each of options.files after the run: its content, or nullopt when absent.
    std::vector<std::optional<std::string>> files;
    std::string output_tail;              // the last lines the run printed (stdout and stderr), for a report
    std::vector<std::string> unfinished;  // a deadlock's: main (unless its code was over), then the children left, in start order
    int wait_status = 0;                  // the interpreter's
    double seconds = 0;
};

// The run with seed `seed` (main's draws, when not forced). Throws std::system_error
// when the system refuses what the run needs (a pipe, a fork, the private folder).
CPythonRun run_cpython(const CPythonOptions& options, uint64_t seed);

// python3 as the shell would find it: `hint` when it is a path, else the first
// executable `python3` on $PATH. nullopt when there is none.
std::optional<std::string> find_python3(const std::string& hint = "python3");

}  // namespace critsec::compare
