// Pid marks: a pid inside a printed text, shown as whoever reads it decides.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "runtime/pid_marks.hpp"

using namespace critsec::runtime;

namespace {
std::string label(int i) { return i < 0 ? "shell" : "P#" + std::to_string(i); }
std::string quoted(const std::string& text) { return fmt::format("print {:?}", text); }
}  // namespace

TEST_CASE("pid marks: every mark in a text becomes the reader's name for its process", "[pid_marks]") {
    CHECK(expand_pid_marks("no marks", label) == "no marks");
    CHECK(expand_pid_marks("I am " + pid_mark(2) + ", child of " + pid_mark(0), label) == "I am P#2, child of P#0");
    CHECK(expand_pid_marks(pid_mark(1) + pid_mark(-1), label) == "P#1shell");
    CHECK(expand_pid_marks("cut " + std::string(1, kPidMarkOpen) + "3", label) == "cut " + std::string(1, kPidMarkOpen) + "3");
}

TEST_CASE("pid marks: a text quoted as an event quotes it has its marks read through the escapes", "[pid_marks]") {
    CHECK(quoted("pid " + pid_mark(3)) == "print \"pid \\x1e3\\x1f\"");
    CHECK(expand_quoted_pid_marks(quoted("pid " + pid_mark(3)), label) == "print \"pid P#3\"");
    // Adjacent marks, a negative instance (the shell) and marks at both ends.
    CHECK(expand_quoted_pid_marks(quoted(pid_mark(1) + pid_mark(2) + "-" + pid_mark(-1)), label) == "print \"P#1P#2-shell\"");
    // A backslash that was printed, followed by the letters x1e: not a mark.
    CHECK(expand_quoted_pid_marks(quoted("\\x1e4\\x1f " + pid_mark(4)), label) == "print \"\\\\x1e4\\\\x1f P#4\"");
    // Escapes that are not marks, and a mark cut short, stay as they were.
    CHECK(expand_quoted_pid_marks("print \"a\\nb \\x1e\\x1f \\x1e7\"", label) == "print \"a\\nb \\x1e\\x1f \\x1e7\"");
    CHECK(expand_quoted_pid_marks("ends in a backslash \\", label) == "ends in a backslash \\");
}
