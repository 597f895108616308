#include "model/spec_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace critsec {
namespace {

struct OwnedFd {
    int fd;
    ~OwnedFd() {
        if (fd >= 0) ::close(fd);
    }
};

const char* not_regular(mode_t mode) {
    if (S_ISDIR(mode)) return "is a directory, not a spec file";
    if (S_ISFIFO(mode)) return "is a FIFO, not a regular file";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "is a device, not a regular file";
    if (S_ISSOCK(mode)) return "is a socket, not a regular file";
    return "is not a regular file";
}

}  // namespace

SpecFileText read_spec_file(const std::string& path, size_t max_bytes) {
    // O_NONBLOCK: opening a FIFO that nobody writes would otherwise wait forever;
    // the type is then checked on the open file itself, not on a name that may change.
    OwnedFd file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
    if (file.fd < 0) return {std::nullopt, std::strerror(errno)};
    struct stat st {};
    if (::fstat(file.fd, &st) != 0) return {std::nullopt, std::strerror(errno)};
    if (!S_ISREG(st.st_mode)) return {std::nullopt, not_regular(st.st_mode)};
    std::string text;
    char buffer[65536];
    while (text.size() <= max_bytes) {
        ssize_t got = ::read(file.fd, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return {std::nullopt, std::strerror(errno)};
        if (got == 0) break;
        text.append(buffer, static_cast<size_t>(got));
    }
    if (text.size() > max_bytes + 1) text.resize(max_bytes + 1);
    return {std::move(text), ""};
}

}  // namespace critsec
