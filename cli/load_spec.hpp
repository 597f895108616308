#pragma once
// Compiling a spec from the command line: diagnostics go to stderr through the
// one printer, and a spec with errors becomes exit code 65.
#include <optional>
#include <string>

#include "model/frontend.hpp"

namespace critsec::cli {

enum class Format { Text, Json };

// Returns the compiled spec, or nullopt after printing its errors; `exit_status`
// is set to the exit code to use in that case.
std::optional<Compiled> load_spec(const std::string& path, Format format, int& exit_status);

// The file could not be read at all (compile_file's diagnostic at 0:0): exit 66, not 65.
bool unreadable(const Compiled& compiled);
// `critsec: cannot read PATH: WHY`, the one way it is said.
std::string cannot_read(const std::string& path, const Compiled& compiled);

}  // namespace critsec::cli
