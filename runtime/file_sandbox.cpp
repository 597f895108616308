#include "runtime/file_sandbox.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <system_error>

namespace critsec::runtime {

namespace {
[[noreturn]] void fail(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

void write_all(int fd, const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("write");
        done += static_cast<size_t>(n);
    }
}
}  // namespace

std::string file_name_problem(const std::string& name) {
    if (name.empty()) return "an empty file name";
    if (name == "." || name == "..") return "`" + name + "` names a folder, not a file";
    if (name.find('/') != std::string::npos) return "`" + name + "` is outside the run's private folder (no `/` allowed)";
    if (name.find('\0') != std::string::npos) return "a file name with a NUL byte";
    if (name.size() > 255) return "a file name longer than 255 bytes";
    return "";
}

void check_file_objects(const std::vector<model::SharedObject>& objects) {
    for (const auto& obj : objects) {
        if (obj.kind != model::ObjectKind::File) continue;
        std::string problem = file_name_problem(obj.file_name);
        if (!problem.empty()) throw std::invalid_argument("File(\"" + obj.file_name + "\"): " + problem);
    }
}

int open_flags(bool create, bool truncate) {
    int flags = O_RDWR | O_CLOEXEC | O_NOFOLLOW;
    if (create) flags |= O_CREAT;
    if (truncate) flags |= O_TRUNC;
    if (create && !truncate) flags |= O_APPEND;
    return flags;
}

FileSandbox::FileSandbox(const std::vector<model::SharedObject>& objects, bool keep)
    : objects_((check_file_objects(objects), objects)) {
    if (keep) folder_.keep();
}

void FileSandbox::reset() const {
    for (const auto& obj : objects_) {
        if (obj.kind != model::ObjectKind::File) continue;
        if (!obj.file_exists) {
            if (::unlinkat(dir_fd(), obj.file_name.c_str(), 0) != 0 && errno != ENOENT) fail("unlink " + obj.file_name);
            continue;
        }
        UniqueFd fd(::openat(dir_fd(), obj.file_name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
        if (!fd) fail("open " + obj.file_name);
        write_all(fd.get(), obj.file_initial);
    }
}

std::optional<std::string> FileSandbox::read(int object) const {
    UniqueFd fd(::openat(dir_fd(), name_of(object).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) {
        if (errno == ENOENT) return std::nullopt;
        fail("open " + name_of(object));
    }
    std::string out;
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("read " + name_of(object));
        if (n == 0) break;
        out.append(buf, static_cast<size_t>(n));
    }
    return out;
}

}  // namespace critsec::runtime
