#pragma once
// A pid inside a text (`print(f"... {pid()}")`) is written as a mark naming the
// process instance; whoever shows the text decides what a pid looks like: the
// real pid on screen, `Adder#3` in an outcome (so outcomes of different runs
// compare equal, and match the model's predictions).
#include <functional>
#include <string>

namespace critsec::runtime {

inline constexpr char kPidMarkOpen = '\x1e';
inline constexpr char kPidMarkClose = '\x1f';

inline std::string pid_mark(int instance) { return kPidMarkOpen + std::to_string(instance) + kPidMarkClose; }

// Replaces every mark by `show(instance)`.
std::string expand_pid_marks(const std::string& text, const std::function<std::string(int)>& show);

// The same for a text that quotes printed text the way fmt's `{:?}` does (an
// event's `print "..."`), where a mark reads `\x1e3\x1f` and a backslash `\\`.
std::string expand_quoted_pid_marks(const std::string& text, const std::function<std::string(int)>& show);

}  // namespace critsec::runtime
