#pragma once
// The run's private folder (mkdtemp): every File object of a spec is a file in
// it, opened by name relative to the folder and nothing else; removed with its
// content when the sandbox ends, unless kept.
#include <optional>
#include <string>
#include <vector>

#include "model/program.hpp"
#include "runtime/unique_fd.hpp"

namespace critsec::runtime {

// "" when `name` may be a file of the private folder, else why not. Checked for
// every File object before anything runs.
std::string file_name_problem(const std::string& name);

class FileSandbox {
public:
    // Throws std::invalid_argument (a spec's file outside its folder) or std::system_error.
    FileSandbox(const std::vector<model::SharedObject>& objects, bool keep);
    FileSandbox(const FileSandbox&) = delete;
    FileSandbox& operator=(const FileSandbox&) = delete;
    ~FileSandbox();

    const std::string& path() const { return path_; }
    int dir_fd() const { return dir_.get(); }
    const std::string& name_of(int object) const { return objects_.at(object).file_name; }

    // Each file back to its initial content, or absent.
    void reset() const;
    // A file's content now; nullopt when it does not exist.
    std::optional<std::string> read(int object) const;

private:
    void remove_all() const;
    const std::vector<model::SharedObject>& objects_;
    bool keep_;
    std::string path_;
    UniqueFd dir_;
};

// open(2) flags of Python's modes, as the semantics asks for them: `create`
// without `truncate` only for a/a+ (appending), neither for r/r+.
int open_flags(bool create, bool truncate);

}  // namespace critsec::runtime
