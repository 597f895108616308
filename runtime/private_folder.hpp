#pragma once
// A run's private folder, and the one parent that holds every such folder of a
// user: $TMPDIR/critsec-<uid>/run-XXXXXX. Each folder has a lock file beside it
// (run-XXXXXX.lock), made and locked (flock) before the folder and removed
// after it, that its owner holds while it lives and its children inherit. A
// folder whose lock is free belongs to nobody: its owner was killed (SIGKILL,
// the OOM killer, a crash) before it could clean up. Every new folder first
// sweeps those away, so nothing a dead run left stays past the next run, and
// the last folder to go removes the parent.
#include <string>

#include "runtime/unique_fd.hpp"

namespace critsec::runtime {

class PrivateFolder {
public:
    // Throws std::system_error with a message that names the folder and what to do.
    PrivateFolder();
    PrivateFolder(const PrivateFolder&) = delete;
    PrivateFolder& operator=(const PrivateFolder&) = delete;
    // Removes the folder, its files and its lock, unless kept; then the parent, if empty.
    ~PrivateFolder();

    const std::string& path() const { return path_; }
    int dir_fd() const { return dir_.get(); }
    // Leave the folder for the user to look at; no sweep removes it.
    void keep();

private:
    std::string path_;
    UniqueFd dir_;
    UniqueFd lock_;
    bool kept_ = false;
};

// $TMPDIR/critsec-<uid> (TMPDIR unset or empty: /tmp), made when missing.
// Throws std::system_error when it cannot be made, or is not a folder this user owns.
std::string private_parent();

// Removes every folder under `parent` whose owner is dead and that was not
// kept; a folder without a lock is left alone for a minute (its owner may be
// between making it and locking it). Returns how many were removed.
int sweep_private_folders(const std::string& parent);

}  // namespace critsec::runtime
