#pragma once
// `critsec check spec.crit`: every property (each assert, lost update,
// deadlock, runtime errors, and the watches the spec's `# expect:` lines state)
// with its verdict, and a counterexample chart for each violation.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace critsec::cli {

void add_check_command(CLI::App& app, int& exit_status);

// `--inputs "3 4 1 2"` (or commas): main's randint draws; nullopt when malformed.
std::optional<std::vector<int64_t>> parse_input_list(const std::string& text);

}  // namespace critsec::cli
