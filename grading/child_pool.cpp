#include "grading/child_pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>
#include <vector>

namespace critsec::grading {
namespace {

using Clock = std::chrono::steady_clock;

// The child's exit code when `work` threw: nothing usable was written.
constexpr int kWorkThrew = 3;

void write_all(int fd, const std::string& data) {
    size_t at = 0;
    while (at < data.size()) {
        ssize_t n = ::write(fd, data.data() + at, data.size() - at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        at += static_cast<size_t>(n);
    }
}

// One running child: its pid and the read end of its pipe. Leaving it kills
// and reaps the child if it is still running.
class Child {
public:
    Child(size_t job, pid_t pid, int fd, Clock::time_point deadline) : job_(job), pid_(pid), fd_(fd), start_(Clock::now()), deadline_(deadline) {}
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child() {
        if (pid_ > 0) {
            ::kill(-pid_, SIGKILL);
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        if (fd_ >= 0) ::close(fd_);
    }

    size_t job() const { return job_; }
    int fd() const { return fd_; }
    bool past_deadline() const { return Clock::now() >= deadline_; }
    int ms_left() const {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
        return static_cast<int>(std::max<long long>(0, std::min<long long>(left, 1000)));
    }

    // Reads what is there; false at the end of the pipe.
    bool read_some() {
        char buffer[65536];
        ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
        if (n <= 0) return false;
        output_.append(buffer, static_cast<size_t>(n));
        return true;
    }

    // Waits for the child (killed first when `kill`) and says how it ended.
    ChildEnd finish(bool kill) {
        if (kill) {
            ::kill(-pid_, SIGKILL);
            ::kill(pid_, SIGKILL);
        }
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
        ChildEnd end;
        end.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
        end.output = std::move(output_);
        if (kill) end.how = ChildEnd::How::TimedOut;
        else if (WIFEXITED(status)) {
            end.how = ChildEnd::How::Exited;
            end.code = WEXITSTATUS(status);
        } else {
            end.how = ChildEnd::How::Signalled;
            end.code = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
        }
        return end;
    }

private:
    size_t job_;
    pid_t pid_;
    int fd_;
    Clock::time_point start_, deadline_;
    std::string output_;
};

// Forks the child of job `i`; nullptr (and `why`) when the system refuses.
std::unique_ptr<Child> start(size_t i, double limit_seconds, const std::function<std::string(size_t)>& work, std::string& why) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        why = std::string("pipe: ") + std::strerror(errno);
        return nullptr;
    }
    std::fflush(nullptr);  // nothing buffered may be written twice
    pid_t pid = ::fork();
    if (pid < 0) {
        why = std::string("fork: ") + std::strerror(errno);
        ::close(fds[0]);
        ::close(fds[1]);
        return nullptr;
    }
    if (pid == 0) {
        ::setpgid(0, 0);
        ::close(fds[0]);
        int code = 0;
        try {
            write_all(fds[1], work(i));
        } catch (const std::exception& e) {
            write_all(fds[1], e.what());  // the parent's message says why
            code = kWorkThrew;
        } catch (...) {
            code = kWorkThrew;
        }
        ::_exit(code);  // not exit(): the parent's atexit handlers and buffers are not the child's
    }
    ::setpgid(pid, pid);  // also here: the kill must find the group even if the child has not run yet
    ::close(fds[1]);
    auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(limit_seconds));
    return std::make_unique<Child>(i, pid, fds[0], deadline);
}

}  // namespace

void run_in_children(size_t count, int parallel, double limit_seconds, const std::function<std::string(size_t)>& work,
                     const std::function<void(size_t, ChildEnd)>& done) {
    std::vector<std::unique_ptr<Child>> running;
    size_t next = 0;
    while (next < count || !running.empty()) {
        while (next < count && static_cast<int>(running.size()) < std::max(1, parallel)) {
            std::string why;
            auto child = start(next, limit_seconds, work, why);
            if (child) running.push_back(std::move(child));
            else done(next, ChildEnd{ChildEnd::How::NotStarted, 0, "", why, 0});
            ++next;
        }
        if (running.empty()) continue;
        std::vector<pollfd> fds;
        int wait_ms = 1000;
        for (const auto& c : running) {
            fds.push_back({c->fd(), POLLIN, 0});
            wait_ms = std::min(wait_ms, c->ms_left());
        }
        if (::poll(fds.data(), fds.size(), wait_ms) < 0 && errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll");
        for (size_t k = running.size(); k-- > 0;) {
            Child& c = *running[k];
            bool open = true;
            if (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) open = c.read_some();
            bool late = open && c.past_deadline();
            if (open && !late) continue;
            size_t job = c.job();
            ChildEnd end = c.finish(late);
            running.erase(running.begin() + static_cast<std::ptrdiff_t>(k));
            done(job, std::move(end));
        }
    }
}

}  // namespace critsec::grading
