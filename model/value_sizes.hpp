#pragma once
// The most one value may hold. CPython grows a string or a list until the
// machine's memory runs out, then raises MemoryError; a spec is untrusted
// (`s = s + s` in a loop took 17 GB), so the model raises MemoryError at a fixed
// size instead. The concrete semantics (hence the runtime's main and children,
// and the explorer) and the symbolic evaluator all ask these functions, so every
// engine and every run fails at the same step. A file is capped at the same
// size (kMaxFileBytes, semantics.hpp).
#include <cstddef>
#include <optional>
#include <string>

#include "model/value.hpp"

namespace critsec::model {

inline constexpr size_t kMaxStringBytes = size_t{1} << 20;
inline constexpr size_t kMaxListItems = 10'000;
// A list's bytes: its strings' bytes (nested lists' too) and 8 for each item.
inline constexpr size_t kMaxListBytes = size_t{1} << 20;
inline constexpr size_t kListItemBytes = 8;

// errors::string_too_long() when a string of `bytes` bytes is past the cap.
std::optional<std::string> string_size_error(size_t bytes);
// `copies` copies of a string of `bytes` bytes (`"ab" * n`), without overflowing.
std::optional<std::string> repeated_string_size_error(size_t bytes, int64_t copies);
// errors::list_too_long() when a list of `items` items and `bytes` bytes is past a cap.
std::optional<std::string> list_size_error(size_t items, size_t bytes);
// What a value counts for in a list's bytes (kListItemBytes for anything but a string or a list).
size_t value_bytes(const Value& v);

// One printed line, at most: a run sends each line to its supervisor in one
// atomic pipe write (PIPE_BUF, 4096 bytes, with its header), and main's lines
// are part of an outcome, so the model cuts a longer line the same way for main
// and every child, and says so at its end.
inline constexpr size_t kMaxPrintLineBytes = 4000;
// `text` itself, or its first bytes (whole UTF-8 characters) and the mark
// "... [line cut: N bytes]", kMaxPrintLineBytes in all at most.
std::string printed_line(std::string text);

}  // namespace critsec::model
