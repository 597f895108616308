#include "checker/budget.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace critsec::checker {

size_t resident_mb() {
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long size = 0, resident = 0;
    int got = std::fscanf(f, "%lu %lu", &size, &resident);
    std::fclose(f);
    if (got != 2) return 0;
    return resident * static_cast<size_t>(::sysconf(_SC_PAGESIZE)) / (1024 * 1024);
}

Budget::Budget(double seconds, size_t max_memory_mb, bool show_progress)
    : seconds_(seconds), max_memory_mb_(max_memory_mb), show_progress_(show_progress) {
    if (seconds > 0) deadline_ = start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

std::optional<std::string> Budget::check_now() const {
    if (spent_) return spent_;
    if (Clock::now() >= deadline_) spent_ = fmt::format("the time budget ran out (--timeout {:g} s)", seconds_);
    else if (max_memory_mb_ > 0 && resident_mb() > max_memory_mb_)
        spent_ = fmt::format("the memory budget ran out (--max-memory {} MB)", max_memory_mb_);
    return spent_;
}

std::string Budget::out_of_memory() const {
    if (!spent_) spent_ = fmt::format("the memory ran out: an allocation failed at {} MB resident (--max-memory {} MB)", resident_mb(), max_memory_mb_);
    return *spent_;
}

std::string out_of_memory(const Budget* budget) {
    return budget ? budget->out_of_memory() : fmt::format("the memory ran out: an allocation failed at {} MB resident", resident_mb());
}

std::optional<std::string> Budget::check(size_t states, const std::function<size_t()>& depth, const char* engine) const {
    if (spent_) return spent_;
    if (Clock::now() >= deadline_) return check_now();
    if (calls_ % 4096 == 0 && max_memory_mb_ > 0 && resident_mb() > max_memory_mb_) return check_now();
    if (show_progress_) show(states, depth, engine);
    return std::nullopt;
}

std::optional<std::string> Budget::spent_now() const { return check_now(); }

double Budget::seconds_left() const {
    if (deadline_ == Clock::time_point::max()) return 1e9;
    double left = std::chrono::duration<double>(deadline_ - Clock::now()).count();
    return left < 0.05 ? 0.05 : left;
}

void Budget::show(size_t states, const std::function<size_t()>& depth, const char* engine) const {
    auto now = Clock::now();
    if (now - last_shown_ < std::chrono::milliseconds(250)) return;
    if (last_shown_ == Clock::time_point{}) {
        last_shown_ = now;  // a check that ends within the first quarter second shows nothing
        return;
    }
    last_shown_ = now;
    double elapsed = std::chrono::duration<double>(now - start_).count();
    fmt::print(stderr, "\r\033[K  {}: {} states, depth {}, {:.0f} states/s, {:.1f} s, {} MB", engine, states, depth(),
               elapsed > 0 ? static_cast<double>(states) / elapsed : 0.0, elapsed, resident_mb());
    std::fflush(stderr);
    line_shown_ = true;
}

void Budget::clear_progress() const {
    if (!line_shown_) return;
    fmt::print(stderr, "\r\033[K");
    std::fflush(stderr);
    line_shown_ = false;
}

}  // namespace critsec::checker
