#pragma once
// What one command may spend on a spec: wall-clock time and memory. A spec is
// untrusted input, and a search over its states (or a Z3 query) can grow
// without end; every engine asks the budget as it goes and, once it is spent,
// stops with the reason, which the verdict reports as UNKNOWN. One budget
// covers the whole command: the engines run one after another against the same
// deadline. On a terminal the budget also shows the search's progress on stderr.
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace critsec::checker {

// The memory a command may take by default: well under a teaching machine's.
inline constexpr size_t kDefaultMaxMemoryMb = 4096;

class Budget {
public:
    using Clock = std::chrono::steady_clock;

    Budget() = default;  // unlimited, silent
    Budget(double seconds, size_t max_memory_mb, bool show_progress);

    // A search asks `due()` at every state (a counter), and every 256th time
    // `check`s: the clock, the resident memory every 4096th state, the progress
    // line. The reason once the budget is spent, and from then on at every call.
    // Past the deadline `due()` says so at once: one state can take milliseconds
    // (a move that enumerates 10,000 randint combinations), and 256 of them ran
    // a 0.5 s budget to 2.5 s.
    bool due() const { return spent_ || ++calls_ % 256 == 0 || Clock::now() >= deadline_; }
    // `depth` is asked only when the progress line is shown (a walk up the search tree is not free).
    std::optional<std::string> check(size_t states, const std::function<size_t()>& depth, const char* engine) const;
    // The same, with no search to report (between engines, before a Z3 query).
    std::optional<std::string> spent_now() const;
    // An allocation failed before the resident memory reached the cap (a ulimit
    // below it, or a jump between two checks): the budget is spent from now on.
    std::string out_of_memory() const;

    double seconds_left() const;  // for Z3's own timeout: never below 0.05
    size_t max_memory_mb() const { return max_memory_mb_; }
    void clear_progress() const;  // erases the progress line before the results are printed

private:
    std::optional<std::string> check_now() const;
    void show(size_t states, const std::function<size_t()>& depth, const char* engine) const;

    Clock::time_point start_ = Clock::now();
    Clock::time_point deadline_ = Clock::time_point::max();
    double seconds_ = 0;
    size_t max_memory_mb_ = 0;  // 0: no cap
    bool show_progress_ = false;
    mutable size_t calls_ = 0;
    mutable std::optional<std::string> spent_;
    mutable Clock::time_point last_shown_{};
    mutable bool line_shown_ = false;
};

// The resident memory of this process, in MiB (from /proc/self/statm).
size_t resident_mb();

// Why a search without a budget (or with one) stopped at a failed allocation.
std::string out_of_memory(const Budget* budget);

}  // namespace critsec::checker
