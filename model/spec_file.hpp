#pragma once
// Reading a spec file as untrusted input: only a regular file, never more than
// the front end accepts, and never a wait (a FIFO with no writer, a terminal).
#include <optional>
#include <string>

namespace critsec {

struct SpecFileText {
    std::optional<std::string> text;  // absent when the file cannot be read
    std::string why_not;              // "is a directory", "No such file or directory", ...
};

// Reads at most `max_bytes` + 1 bytes, so that a file past the cap is seen to be
// one without reading it all (the front end reports the size).
SpecFileText read_spec_file(const std::string& path, size_t max_bytes);

}  // namespace critsec
