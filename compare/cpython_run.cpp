#include "compare/cpython_run.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <system_error>

#include "compare/cpython_harness.hpp"
#include "model/semantics.hpp"
#include "runtime/child_process.hpp"
#include "runtime/clock.hpp"
#include "runtime/main_run.hpp"
#include "runtime/private_folder.hpp"
#include "runtime/unique_fd.hpp"

namespace critsec::compare {
namespace {

constexpr size_t kTailBytes = 2048;
constexpr size_t kShownLineBytes = 160;
constexpr double kPollSeconds = 0.02;
constexpr double kLookSeconds = 0.1;  // between two looks at the group's processes
constexpr int kMaxFolderDepth = 16;

struct Pipe {
    runtime::UniqueFd read, write;
};

Pipe make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
    // The reader side only: the program's stdout must block when the pipe is full, as a terminal's would.
    ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    return Pipe{runtime::UniqueFd(fds[0]), runtime::UniqueFd(fds[1])};
}

// The run's process group, killed whole when the run is over: the interpreter
// leads it, and every process it forks joins it. Killed before the leader is
// reaped, so that the group id cannot have been reused; once only, for the same reason.
class GroupKill {
public:
    explicit GroupKill(pid_t group) : group_(group) {}
    GroupKill(const GroupKill&) = delete;
    GroupKill& operator=(const GroupKill&) = delete;
    ~GroupKill() { now(); }
    void now() {
        if (group_ > 0) ::kill(-group_, SIGKILL);
        group_ = 0;
    }

private:
    pid_t group_;
};

// What the run wrote: stdout and stderr (counted, the tail kept) and the records.
struct Streams {
    std::string tail, records;
    size_t output_bytes = 0;

    // Reads what is there now; false at end of file on both.
    bool drain(int out_fd, int record_fd) {
        bool open = false;
        char buf[16384];
        for (int fd : {out_fd, record_fd}) {
            for (;;) {
                ssize_t n = ::read(fd, buf, sizeof buf);
                if (n > 0) {
                    std::string& into = fd == out_fd ? tail : records;
                    into.append(buf, static_cast<size_t>(n));
                    output_bytes += static_cast<size_t>(n);
                    if (fd == out_fd && tail.size() > 2 * kTailBytes) tail.erase(0, tail.size() - kTailBytes);
                    continue;
                }
                if (n < 0 && errno == EINTR) continue;
                open |= n < 0 && errno == EAGAIN;
                break;
            }
        }
        return open;
    }
};

// What the records tell so far, for the deadlock watch: who runs, who sleeps.
struct Live {
    size_t parsed = 0;  // bytes of the records read
    int sleeping = 0;
    std::vector<std::string> started{"main"};
    std::set<std::string> exited;

    void update(const std::string& records) {
        for (size_t nl; (nl = records.find('\n', parsed)) != std::string::npos; parsed = nl + 1) {
            nlohmann::json r = nlohmann::json::parse(records.begin() + static_cast<std::ptrdiff_t>(parsed),
                                                     records.begin() + static_cast<std::ptrdiff_t>(nl), nullptr, false);
            if (!r.is_object()) continue;
            if (r.contains("sleep") && r["sleep"].is_number_integer()) sleeping += r["sleep"].get<int>();
            if (r.contains("start") && r["start"].is_string()) started.push_back(r["start"].get<std::string>());
            if (r.contains("exit") && r["exit"].is_string()) exited.insert(r["exit"].get<std::string>());
        }
    }
    std::vector<std::string> unfinished() const {
        std::vector<std::string> out;
        for (const auto& label : started)
            if (!exited.count(label)) out.push_back(label);
        return out;
    }
};

// Whether every living process of the group sleeps in the kernel (a lock, a
// semaphore, a join), none running and none in uninterruptible disk waits.
bool group_asleep(pid_t group) {
    DIR* proc = ::opendir("/proc");
    if (!proc) return false;
    bool asleep = true;
    int members = 0;
    while (dirent* e = ::readdir(proc)) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9') continue;
        runtime::UniqueFd fd(::openat(::dirfd(proc), (std::string(e->d_name) + "/stat").c_str(), O_RDONLY | O_CLOEXEC));
        char buf[512];
        ssize_t n = fd ? ::read(fd.get(), buf, sizeof buf - 1) : -1;
        if (n <= 0) continue;
        buf[n] = '\0';
        const char* close = std::strrchr(buf, ')');  // the command name may hold spaces and parentheses
        char state = 0;
        long ppid = 0, pgrp = 0;
        if (!close || std::sscanf(close + 1, " %c %ld %ld", &state, &ppid, &pgrp) != 3 || pgrp != group || state == 'Z') continue;
        ++members;
        asleep = asleep && state == 'S';
    }
    ::closedir(proc);
    return asleep && members > 0;
}

// The interpreter's argument vector; built before fork (the child only execs).
std::vector<std::string> harness_argv(const CPythonOptions& o, uint64_t seed) {
    std::string draws = "-", observe;
    if (o.main_inputs) draws = fmt::format("{}", fmt::join(*o.main_inputs, " "));
    for (const auto& name : o.observe) observe += (observe.empty() ? "" : ",") + name;
    return {o.python, "-I",   "-B", "-c", cpython_harness_source(), o.program, std::to_string(seed), fmt::format("{}", o.time_scale),
            draws,    observe};
}

// The child, between fork and exec: its folder, its descriptors, its limits.
[[noreturn]] void exec_harness(const std::vector<char*>& argv, int folder_fd, int out_fd, int record_fd,
                               const runtime::RunOptions& limits) {
    int null = ::open("/dev/null", O_RDONLY);
    if (null < 0 || ::dup2(null, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(out_fd, 2) < 0 || ::dup2(record_fd, kHarnessReportFd) < 0 ||
        ::fchdir(folder_fd) != 0)
        ::_exit(127);
    if (null > kHarnessReportFd) ::close(null);
    if (record_fd == kHarnessReportFd) ::fcntl(record_fd, F_SETFD, 0);  // dup2 onto itself leaves close-on-exec set
    runtime::limit_child_process(limits);
    ::execv(argv[0], argv.data());
    ::_exit(127);
}

// A folder a program made in its private folder: runtime::PrivateFolder removes plain files only.
void remove_subfolders(int dir_fd, int depth) {
    int fd = ::dup(dir_fd);
    if (fd < 0) return;
    DIR* dir = ::fdopendir(fd);
    if (!dir) {
        ::close(fd);
        return;
    }
    std::vector<std::string> subfolders;
    while (dirent* e = ::readdir(dir)) {
        std::string n = e->d_name;
        struct stat st {};
        if (n != "." && n != ".." && ::fstatat(dir_fd, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
            subfolders.push_back(n);
    }
    ::closedir(dir);
    for (const auto& n : subfolders) {
        runtime::UniqueFd sub(::openat(dir_fd, n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (sub && depth < kMaxFolderDepth) {
            remove_subfolders(sub.get(), depth + 1);
            int again = ::dup(sub.get());
            if (DIR* d = again >= 0 ? ::fdopendir(again) : nullptr) {
                while (dirent* e = ::readdir(d)) ::unlinkat(sub.get(), e->d_name, 0);
                ::closedir(d);
            } else if (again >= 0) {
                ::close(again);
            }
        }
        ::unlinkat(dir_fd, n.c_str(), AT_REMOVEDIR);
    }
}

// A file of the run, read as the model's final state shows it (at most kMaxFileBytes).
std::optional<std::string> read_file(int folder_fd, const std::string& name) {
    runtime::UniqueFd fd(::openat(folder_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (!fd) return std::nullopt;
    std::string content;
    char buf[16384];
    ssize_t n;
    while (content.size() <= static_cast<size_t>(model::kMaxFileBytes) && (n = ::read(fd.get(), buf, sizeof buf)) > 0)
        content.append(buf, static_cast<size_t>(n));
    return content;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

// Whether the process has ended, without reaping it (for a kernel without pidfds).
bool ended(pid_t pid) {
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

// Why the run must stop now, or Ended while it may go on.
CPythonStatus past_a_cap(const CPythonOptions& o, double age, size_t output_bytes, std::string& why) {
    if (o.interrupted && o.interrupted()) {
        why = "interrupted";
        return CPythonStatus::Interrupted;
    }
    if (age > o.max_run_seconds) {
        why = fmt::format("the run took longer than {:g} s (--max-run-time)", o.max_run_seconds);
        return CPythonStatus::Timeout;
    }
    if (output_bytes > o.max_output_bytes) {
        why = fmt::format("the run printed more than {} MiB", o.max_output_bytes >> 20);
        return CPythonStatus::OutputCap;
    }
    return CPythonStatus::Ended;
}

// The last lines of what the run printed, each cut to a screen's width: for a report.
std::string last_lines(const std::string& text) {
    std::string cut = text.size() <= kTailBytes ? text : text.substr(text.size() - kTailBytes);
    if (size_t nl = cut.find('\n'); text.size() > kTailBytes && nl != std::string::npos) cut.erase(0, nl + 1);
    std::string out;
    std::istringstream in(cut);
    for (std::string line; std::getline(in, line);)
        out += (line.size() > kShownLineBytes ? line.substr(0, kShownLineBytes) + "..." : line) + "\n";
    return out;
}

// Until the interpreter exits or must be stopped: the pipes drained, the caps
// checked, and the deadlock watch (cpython_run.hpp) confirmed by two looks.
void supervise(const runtime::ChildProcess& python, int out_fd, int record_fd, const CPythonOptions& options, double started,
               Streams& streams, CPythonRun& run) {
    Live live;
    size_t bytes = 0;
    double quiet_since = started, last_look = 0;
    int asleep_looks = 0;
    for (;;) {
        pollfd fds[3] = {{out_fd, POLLIN, 0}, {record_fd, POLLIN, 0}, {python.pidfd(), POLLIN, 0}};
        ::poll(fds, 3, static_cast<int>(kPollSeconds * 1000));
        streams.drain(out_fd, record_fd);
        if (python.pidfd() >= 0 ? fds[2].revents != 0 : ended(python.pid())) return;
        double now = runtime::monotonic_seconds();
        run.status = past_a_cap(options, now - started, streams.output_bytes, run.why);
        if (run.status != CPythonStatus::Ended) return;
        if (streams.output_bytes != bytes) {
            bytes = streams.output_bytes;
            quiet_since = now;
            asleep_looks = 0;
            live.update(streams.records);
        }
        if (now - quiet_since < options.deadlock_after || live.sleeping > 0 || now - last_look < kLookSeconds) continue;
        last_look = now;
        asleep_looks = group_asleep(python.pid()) ? asleep_looks + 1 : 0;
        if (asleep_looks < 2) continue;
        run.status = CPythonStatus::Deadlock;
        run.why = fmt::format("every process blocked, nothing printed for {:g} s (--deadlock-after)", options.deadlock_after);
        run.unfinished = live.unfinished();
        return;
    }
}

}  // namespace

CPythonRun run_cpython(const CPythonOptions& options, uint64_t seed) {
    CPythonRun run;
    double started = runtime::monotonic_seconds();
    runtime::PrivateFolder folder;
    Pipe out = make_pipe(), records = make_pipe();
    std::vector<std::string> args = harness_argv(options, seed);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    runtime::RunOptions limits;  // made before fork: the child only execs
    limits.max_memory_mb = options.max_memory_mb;
    runtime::ChildProcess python =
        runtime::ChildProcess::fork_into(0, [&] { exec_harness(argv, folder.dir_fd(), out.write.get(), records.write.get(), limits); });
    GroupKill group(python.pid());
    out.write.reset();
    records.write.reset();
    Streams streams;
    supervise(python, out.read.get(), records.read.get(), options, started, streams, run);
    group.now();
    python.reap();
    run.wait_status = python.wait_status();
    // Every writer is dead (unless one left the group): what is left ends at end of file.
    for (double until = runtime::monotonic_seconds() + 1; streams.drain(out.read.get(), records.read.get());) {
        pollfd fds[2] = {{out.read.get(), POLLIN, 0}, {records.read.get(), POLLIN, 0}};
        double left = until - runtime::monotonic_seconds();
        if (left <= 0 || ::poll(fds, 2, static_cast<int>(left * 1000) + 1) <= 0) break;
    }
    for (const auto& name : options.files) run.files.push_back(read_file(folder.dir_fd(), name));
    remove_subfolders(folder.dir_fd(), 0);
    run.records = lines_of(streams.records);
    run.output_tail = last_lines(streams.tail);
    run.seconds = runtime::monotonic_seconds() - started;
    return run;
}

std::optional<std::string> find_python3(const std::string& hint) {
    auto runnable = [](const std::string& path) {
        struct stat st {};
        return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
    };
    if (hint.find('/') != std::string::npos) return runnable(hint) ? std::optional<std::string>(hint) : std::nullopt;
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        std::string candidate = (dir.empty() ? "." : dir) + "/" + hint;
        if (runnable(candidate)) return candidate;
    }
    return std::nullopt;
}

}  // namespace critsec::compare
