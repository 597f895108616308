#pragma once
// Helpers for the runtime tests: real forks, real files; never a timing assertion.
#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "runtime/fork_executor.hpp"
#include "runtime/seeding.hpp"
#include "tests/spec_paths.hpp"

namespace critsec::test {

// A lock its holder never releases: the next taker waits forever (deadlock).
inline constexpr const char* kNeverReleased = R"(
lock = Lock()

process Taker():
    lock.acquire()

process Waiter():
    with lock:
        print("never")

main:
    t = Taker()
    w = Waiter()
    t.start()
    t.join()
    w.start()
    w.join()
)";

inline runtime::RunOptions fast_options(runtime::PerturbMode perturb = runtime::PerturbMode::None) {
    runtime::RunOptions o;
    o.perturb = perturb;
    o.time_scale = 0.001;  // the tutorial's sleep(1..3) becomes 1..3 ms
    o.no_progress_timeout = 5;
    return o;
}

inline std::vector<runtime::RunResult> run_many(const model::Program& program, int runs, const runtime::RunOptions& options,
                                                uint64_t seed = 7) {
    runtime::ForkExecutor executor(program, options);
    std::vector<runtime::RunResult> out;
    for (int i = 0; i < runs; ++i) out.push_back(executor.run(runtime::run_seed(seed, i)));
    return out;
}

struct ProcInfo {
    int pid, ppid, pgid;
};

// Every process in /proc (zombies included).
inline std::vector<ProcInfo> all_processes() {
    std::vector<ProcInfo> out;
    DIR* dir = ::opendir("/proc");
    while (dirent* e = dir ? ::readdir(dir) : nullptr) {
        int pid = std::atoi(e->d_name);
        if (pid <= 0) continue;
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string line;
        std::getline(stat, line);
        auto close = line.rfind(')');  // the command name may hold spaces and parentheses
        char state;
        ProcInfo p{pid, 0, 0};
        if (close != std::string::npos && std::sscanf(line.c_str() + close + 1, " %c %d %d", &state, &p.ppid, &p.pgid) == 3)
            out.push_back(p);
    }
    if (dir) ::closedir(dir);
    return out;
}

// The pids of the processes whose parent is this test process.
inline std::vector<int> children_in_proc() {
    std::vector<int> out;
    for (const auto& p : all_processes())
        if (p.ppid == ::getpid()) out.push_back(p.pid);
    return out;
}

// A folder of this test's own as TMPDIR while it lives. Runs make their private
// folders under TMPDIR, and so do the other tests ctest -j runs at the same time:
// counted in the shared /tmp, their folders came and went under a test's count.
class PrivateTmpdir {
public:
    PrivateTmpdir() {
        const char* tmp = std::getenv("TMPDIR");
        if (tmp) saved_ = tmp;
        std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/critsec-test-XXXXXX";
        if (::mkdtemp(templ.data())) path_ = templ;
        if (!path_.empty()) ::setenv("TMPDIR", path_.c_str(), 1);
    }
    ~PrivateTmpdir() {
        if (saved_) ::setenv("TMPDIR", saved_->c_str(), 1);
        else ::unsetenv("TMPDIR");
        std::error_code ignored;
        if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
    }
    PrivateTmpdir(const PrivateTmpdir&) = delete;
    PrivateTmpdir& operator=(const PrivateTmpdir&) = delete;
    bool made() const { return !path_.empty(); }

private:
    std::string path_;
    std::optional<std::string> saved_;
};

// Runs' private folders (runtime/private_folder.hpp) under the temporary folder:
// $TMPDIR/critsec-<uid>/run-*, the lock files beside them not counted.
inline int sandbox_folders() {
    const char* tmp = std::getenv("TMPDIR");
    std::string parent = std::string(tmp && *tmp ? tmp : "/tmp") + "/critsec-" + std::to_string(::getuid());
    DIR* dir = ::opendir(parent.c_str());
    if (!dir) return 0;
    int n = 0;
    while (dirent* e = ::readdir(dir)) {
        std::string name = e->d_name;
        if (name.rfind("run-", 0) == 0 && name.find('.') == std::string::npos) ++n;
    }
    ::closedir(dir);
    return n;
}

}  // namespace critsec::test
