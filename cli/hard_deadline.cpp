#include "cli/hard_deadline.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>

#include "cli/exit_codes.hpp"

namespace critsec::cli {

double hard_deadline_grace(double seconds) { return 2 + seconds / 10; }

HardDeadline::HardDeadline(double seconds, const std::string& command, const std::string& stuck) {
    // Made before the thread starts: the firing thread must not allocate while
    // the main thread may hold the allocator's locks.
    std::string message = fmt::format("critsec: UNKNOWN: {} passed its --timeout of {:g} s by {:g} s: {} did not stop when asked; "
                                      "the command was ended ({})\n",
                                      command, seconds, hard_deadline_grace(seconds), stuck,
                                      stuck.find("Z3") != std::string::npos ? "try --engine explorer, or a smaller spec" : "try a smaller spec");
    auto limit = std::chrono::duration<double>(seconds + hard_deadline_grace(seconds));
    watch_ = std::thread([this, limit, message = std::move(message)] {
        std::unique_lock<std::mutex> lock(mutex_);
        if (finished_.wait_for(lock, limit, [this] { return done_; })) return;
        // Neither stdio nor exit(): the main thread may be inside either.
        ssize_t ignored = ::write(STDERR_FILENO, message.data(), message.size());
        (void)ignored;
        ::_exit(exit_code::inconclusive);
    });
}

HardDeadline::~HardDeadline() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        done_ = true;
    }
    finished_.notify_one();
    watch_.join();
}

}  // namespace critsec::cli
