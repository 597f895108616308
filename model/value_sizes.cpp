#include "model/value_sizes.hpp"

#include "model/python_errors.hpp"

namespace critsec::model {

std::optional<std::string> string_size_error(size_t bytes) {
    if (bytes > kMaxStringBytes) return errors::string_too_long();
    return std::nullopt;
}

std::optional<std::string> repeated_string_size_error(size_t bytes, int64_t copies) {
    if (copies <= 0 || bytes == 0) return std::nullopt;
    if (static_cast<uint64_t>(copies) > kMaxStringBytes / bytes) return errors::string_too_long();
    return string_size_error(bytes * static_cast<size_t>(copies));
}

std::optional<std::string> list_size_error(size_t items, size_t bytes) {
    if (items > kMaxListItems || bytes > kMaxListBytes) return errors::list_too_long();
    return std::nullopt;
}

size_t value_bytes(const Value& v) {
    if (v.is<std::string>()) return v.as<std::string>().size();
    if (!v.is<List>()) return kListItemBytes;
    size_t total = 0;
    for (const Value& item : v.as<List>()) total += kListItemBytes + value_bytes(item);
    return total;
}

std::string printed_line(std::string text) {
    if (text.size() <= kMaxPrintLineBytes) return text;
    std::string mark = " ... [line cut: " + std::to_string(text.size()) + " bytes]";
    size_t keep = kMaxPrintLineBytes - mark.size();
    while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80) --keep;  // not inside a character
    text.resize(keep);
    return text + mark;
}

}  // namespace critsec::model
