#pragma once
// What a check throws when the spec's inputs cannot be honoured: the caller (a
// command) turns it into a diagnostic at the draw's line, not an internal error.
// Every engine and command shares these, so they live apart from any engine.
#include <stdexcept>
#include <string>
#include <utility>

namespace critsec::checker {

// Thrown when a move would enumerate more draw combinations than the policy allows.
struct TooManyInputs : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Thrown when one of main's fixed inputs (`--inputs`, `# fixed-inputs:`) lies outside
// the range of the randint that draws it.
struct InputOutOfRange : std::runtime_error {
    InputOutOfRange(int line_, std::string message) : std::runtime_error(std::move(message)), line(line_) {}
    int line;  // the draw's line
};

}  // namespace critsec::checker
