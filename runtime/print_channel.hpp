#pragma once
// Every `print` of a run travels through one pipe: the writer sends one record
// (seq, instance, text) in a single write(2) of at most PIPE_BUF bytes, so records
// never interleave; the supervisor drains the pipe without blocking.
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/unique_fd.hpp"

namespace critsec::runtime {

struct PrintRecord {
    uint64_t seq;
    int instance;
    std::string text;
};

class PrintChannel {
public:
    PrintChannel();  // throws std::system_error

    // Writer side (any process of the run). Texts longer than fits one atomic write are cut.
    void send(uint64_t seq, int instance, const std::string& text) const;
    // Reader side: appends every complete record now in the pipe.
    void drain(std::vector<PrintRecord>& out);
    int read_fd() const { return read_.get(); }
    // Forget a partial record (after the writers of a run were killed).
    void discard_partial() { pending_.clear(); }

private:
    UniqueFd read_, write_;
    std::string pending_;
};

}  // namespace critsec::runtime
