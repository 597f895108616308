#include "runtime/print_channel.hpp"

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace critsec::runtime {

namespace {
struct Header {
    uint64_t seq;
    int32_t instance;
    uint32_t length;
};
constexpr size_t kMaxText = PIPE_BUF - sizeof(Header);
}  // namespace

PrintChannel::PrintChannel() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
    read_.reset(fds[0]);
    write_.reset(fds[1]);
    ::fcntl(read_.get(), F_SETFL, ::fcntl(read_.get(), F_GETFL) | O_NONBLOCK);
}

void PrintChannel::send(uint64_t seq, int instance, const std::string& text) const {
    char buf[PIPE_BUF];
    Header h{seq, instance, static_cast<uint32_t>(text.size() < kMaxText ? text.size() : kMaxText)};
    std::memcpy(buf, &h, sizeof h);
    std::memcpy(buf + sizeof h, text.data(), h.length);
    ssize_t n;
    do {
        n = ::write(write_.get(), buf, sizeof h + h.length);
    } while (n < 0 && errno == EINTR);
}

void PrintChannel::drain(std::vector<PrintRecord>& out) {
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(read_.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        pending_.append(buf, static_cast<size_t>(n));
    }
    size_t at = 0;
    while (pending_.size() - at >= sizeof(Header)) {
        Header h;
        std::memcpy(&h, pending_.data() + at, sizeof h);
        if (pending_.size() - at - sizeof h < h.length) break;
        out.push_back(PrintRecord{h.seq, h.instance, pending_.substr(at + sizeof h, h.length)});
        at += sizeof h + h.length;
    }
    pending_.erase(0, at);
}

}  // namespace critsec::runtime
