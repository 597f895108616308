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

}  // namespace critsec::cli
