#include "model/source.hpp"

namespace critsec {

namespace {
// A UTF-8 byte order mark, which Windows editors write at the start of a file.
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
}  // namespace

SourceFile::SourceFile(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {
    // Python reads past it as if it were not there, and so do the columns editors show.
    if (text_.compare(0, kByteOrderMark.size(), kByteOrderMark) == 0) text_.erase(0, kByteOrderMark.size());
    line_starts_.push_back(0);
    for (size_t i = 0; i < text_.size(); ++i)
        if (text_[i] == '\n' && i + 1 < text_.size()) line_starts_.push_back(i + 1);
}

std::string_view SourceFile::line(int number) const {
    if (number < 1 || number > line_count()) return {};
    size_t begin = line_starts_[number - 1];
    size_t end = text_.find('\n', begin);
    if (end == std::string::npos) end = text_.size();
    if (end > begin && text_[end - 1] == '\r') --end;
    return std::string_view(text_).substr(begin, end - begin);
}

}  // namespace critsec
