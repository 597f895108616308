#include "runtime/private_folder.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <system_error>
#include <vector>

namespace critsec::runtime {

namespace {

[[noreturn]] void fail(int error, const std::string& what) { throw std::system_error(error, std::generic_category(), what); }

constexpr const char* kOwnedMark = "owned\n";
constexpr const char* kKeptMark = "kept\n";
constexpr time_t kUnlockedGraceSeconds = 60;

std::vector<std::string> entries(int dir_fd) {
    std::vector<std::string> names;
    int fd = ::dup(dir_fd);
    if (fd < 0) return names;
    DIR* dir = ::fdopendir(fd);
    if (!dir) {
        ::close(fd);
        return names;
    }
    ::rewinddir(dir);
    while (dirent* e = ::readdir(dir)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(n);
    }
    ::closedir(dir);
    return names;
}

// A run's folder holds plain files only (the spec's File objects): no recursion.
void remove_folder(int parent_fd, const std::string& name) {
    UniqueFd dir(::openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (dir)
        for (const auto& n : entries(dir.get())) ::unlinkat(dir.get(), n.c_str(), 0);
    ::unlinkat(parent_fd, name.c_str(), AT_REMOVEDIR);
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }
bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A lock file's state: its owner writes kOwnedMark once it holds the lock, and
// kKeptMark when the user keeps the folder.
enum class Owner { Alive, Dead, Kept, Starting };

Owner owner_of(int lock_fd) {
    if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) return Owner::Alive;  // its owner (or a child of it) lives
    char mark[8] = {};
    ssize_t n = ::pread(lock_fd, mark, sizeof mark - 1, 0);
    std::string text(mark, n > 0 ? static_cast<size_t>(n) : 0);
    if (text == kKeptMark) return Owner::Kept;
    if (text == kOwnedMark) return Owner::Dead;
    return Owner::Starting;  // made, not yet locked: dead only if it stays so
}

}  // namespace

std::string private_parent() {
    const char* tmp = std::getenv("TMPDIR");
    std::string base = tmp && *tmp ? tmp : "/tmp";
    std::string parent = fmt::format("{}/critsec-{}", base, ::getuid());
    if (::mkdir(parent.c_str(), 0700) != 0 && errno != EEXIST)
        fail(errno, fmt::format("cannot make {} for the runs' private folders (set TMPDIR to a folder you can write)", parent));
    // In a shared /tmp another user could have made it first, or planted a link.
    struct stat st{};
    if (::lstat(parent.c_str(), &st) != 0) fail(errno, "cannot look at " + parent);
    if (!S_ISDIR(st.st_mode) || st.st_uid != ::getuid() || (st.st_mode & 0077) != 0)
        fail(EPERM, fmt::format("{} is not a private folder of yours (remove it, or set TMPDIR to another folder)", parent));
    return parent;
}

int sweep_private_folders(const std::string& parent) {
    UniqueFd dir(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir) return 0;
    time_t now = std::time(nullptr);
    int removed = 0;
    std::vector<std::string> names = entries(dir.get());
    for (const auto& name : names) {
        if (!starts_with(name, "run-") || !ends_with(name, ".lock")) continue;
        UniqueFd lock(::openat(dir.get(), name.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC));
        if (!lock) continue;
        Owner owner = owner_of(lock.get());
        struct stat st{};
        bool stale_start = owner == Owner::Starting && ::fstat(lock.get(), &st) == 0 && now - st.st_mtime > kUnlockedGraceSeconds;
        if (owner != Owner::Dead && !stale_start) continue;
        remove_folder(dir.get(), name.substr(0, name.size() - 5));
        ::unlinkat(dir.get(), name.c_str(), 0);  // still holding its lock: no new owner can be starting on it
        ++removed;
    }
    // A folder is made after its lock and removed before it: one without a lock has no owner.
    for (const auto& name : names) {
        if (!starts_with(name, "run-") || ends_with(name, ".lock")) continue;
        struct stat st{};
        if (::fstatat(dir.get(), (name + ".lock").c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) continue;
        remove_folder(dir.get(), name);
        ++removed;
    }
    return removed;
}

PrivateFolder::PrivateFolder() {
    std::string parent = private_parent();
    sweep_private_folders(parent);
    // The lock first, held and marked before the folder exists (see the sweep).
    for (int attempt = 0; attempt < 100 && path_.empty(); ++attempt) {
        std::string templ = parent + "/run-XXXXXX.lock";
        lock_.reset(::mkostemps(templ.data(), 5, O_CLOEXEC));
        if (!lock_ && errno == ENOENT) {  // the last run of another critsec removed the parent just now
            parent = private_parent();
            continue;
        }
        if (!lock_) fail(errno, fmt::format("cannot make a private folder in {} (set TMPDIR to a folder you can write)", parent));
        std::string folder = templ.substr(0, templ.size() - 5);
        if (::flock(lock_.get(), LOCK_EX) != 0 || ::pwrite(lock_.get(), kOwnedMark, std::char_traits<char>::length(kOwnedMark), 0) < 0) {
            int saved = errno;
            ::unlink(templ.c_str());
            fail(saved, "cannot lock " + templ);
        }
        if (::mkdir(folder.c_str(), 0700) == 0) {
            path_ = folder;
        } else {
            int saved = errno;
            ::unlink(templ.c_str());
            if (saved != EEXIST) fail(saved, "cannot make " + folder);
        }
    }
    if (path_.empty()) fail(EEXIST, "cannot make a private folder in " + parent);
    dir_.reset(::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir_) {
        int saved = errno;
        ::rmdir(path_.c_str());
        ::unlink((path_ + ".lock").c_str());
        fail(saved, "cannot open " + path_);
    }
}

void PrivateFolder::keep() {
    kept_ = true;
    if (lock_ && ::ftruncate(lock_.get(), 0) == 0) (void)!::pwrite(lock_.get(), kKeptMark, std::char_traits<char>::length(kKeptMark), 0);
}

PrivateFolder::~PrivateFolder() {
    if (kept_) return;
    for (const auto& n : entries(dir_.get())) ::unlinkat(dir_.get(), n.c_str(), 0);
    ::rmdir(path_.c_str());
    ::unlink((path_ + ".lock").c_str());
    // The parent too, when this was its last folder: a run leaves nothing behind.
    ::rmdir(path_.substr(0, path_.rfind('/')).c_str());
}

}  // namespace critsec::runtime
