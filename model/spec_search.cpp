#include "model/spec_search.hpp"

#include <algorithm>
#include <filesystem>

namespace critsec {
namespace {

namespace fs = std::filesystem;

bool is_spec(const fs::path& p) { return p.extension() == ".crit" || p.extension() == ".py"; }

// A folder's specs, sorted, skipping hidden folders (`.git`) and what cannot be listed.
std::vector<fs::path> specs_under(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        bool hidden = p.filename().string().rfind('.', 0) == 0;
        if (it->is_directory(ec)) {
            if (hidden) it.disable_recursion_pending();
            continue;
        }
        if (!hidden && is_spec(p) && it->is_regular_file(ec)) out.push_back(p);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

FoundSpecs find_specs(const std::vector<std::string>& arguments) {
    FoundSpecs out;
    for (const auto& arg : arguments) {
        std::error_code ec;
        fs::path path(arg);
        if (fs::is_directory(path, ec)) {
            std::vector<fs::path> specs = specs_under(path);
            if (specs.empty()) out.problems.push_back("no .crit or .py file in " + arg);
            fs::path prefix = arguments.size() > 1 ? path.lexically_normal().filename() : fs::path();
            if (prefix.empty() && arguments.size() > 1) prefix = path.lexically_normal().parent_path().filename();
            for (const auto& p : specs) out.specs.push_back({(prefix / p.lexically_relative(path)).generic_string(), p.string()});
        } else if (fs::exists(path, ec)) {
            out.specs.push_back({path.lexically_normal().generic_string(), arg});
        } else {
            out.problems.push_back("no such file or folder: " + arg);
        }
    }
    return out;
}

}  // namespace critsec
