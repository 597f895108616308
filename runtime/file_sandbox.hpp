#pragma once
// The run's private folder (private_folder.hpp): every File object of a spec is a file in
// it, opened by name relative to the folder and nothing else; removed with its
// content when the sandbox ends, unless kept.
#include <optional>
#include <string>
#include <vector>

#include "model/program.hpp"
#include "runtime/private_folder.hpp"

namespace critsec::runtime {

// "" when `name` may be a file of the private folder, else why not. Checked for
// every File object before anything runs.
std::string file_name_problem(const std::string& name);

// Throws std::invalid_argument for the first File object whose name is refused.
void check_file_objects(const std::vector<model::SharedObject>& objects);

class FileSandbox {
public:
    // Throws std::invalid_argument (a spec's file outside its folder) or std::system_error.
    FileSandbox(const std::vector<model::SharedObject>& objects, bool keep);
    FileSandbox(const FileSandbox&) = delete;
    FileSandbox& operator=(const FileSandbox&) = delete;

    const std::string& path() const { return folder_.path(); }
    int dir_fd() const { return folder_.dir_fd(); }
    const std::string& name_of(int object) const { return objects_.at(object).file_name; }

    // Each file back to its initial content, or absent.
    void reset() const;
    // A file's content now; nullopt when it does not exist.
    std::optional<std::string> read(int object) const;

private:
    const std::vector<model::SharedObject>& objects_;
    PrivateFolder folder_;
};

// open(2) flags of Python's modes, as the semantics asks for them: `create`
// without `truncate` only for a/a+ (appending), neither for r/r+.
int open_flags(bool create, bool truncate);

}  // namespace critsec::runtime
