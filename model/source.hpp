#pragma once
// A spec's text and the positions inside it that diagnostics point at.
#include <string>
#include <string_view>
#include <vector>

namespace critsec {

// 1-based line and column; columns count bytes, as GCC does, so editors agree.
struct Loc {
    int line = 0;
    int col = 0;
    friend bool operator==(const Loc&, const Loc&) = default;
};

class SourceFile {
public:
    // A UTF-8 byte order mark at the start is dropped, as Python drops it.
    SourceFile(std::string path, std::string text);
    const std::string& path() const { return path_; }
    const std::string& text() const { return text_; }
    // The text of a 1-based line without its newline; empty past the end.
    std::string_view line(int number) const;
    int line_count() const { return static_cast<int>(line_starts_.size()); }

private:
    std::string path_;
    std::string text_;
    std::vector<size_t> line_starts_;
};

}  // namespace critsec
