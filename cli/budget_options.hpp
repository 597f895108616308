#pragma once
// The options every checking command takes for its budget (checker/budget.hpp):
// one time limit for the whole command and one memory cap, spent across every engine.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <string>

#include "checker/budget.hpp"

namespace critsec::cli {

struct BudgetArgs {
    double seconds;
    size_t max_memory_mb = checker::kDefaultMaxMemoryMb;
};

// `--timeout` and `--max-memory`; `what` says what the time covers ("the whole check").
inline void add_budget_options(CLI::App* cmd, BudgetArgs& args, const std::string& what) {
    cmd->add_option("--timeout", args.seconds, "seconds " + what + " may spend, every engine; past it, UNKNOWN")
        ->check(CLI::Range(0.1, 86400.0))
        ->capture_default_str();
    cmd->add_option("--max-memory", args.max_memory_mb, "MB of memory the checker may take, explorer and Z3; past it, UNKNOWN")
        ->check(CLI::Range(64, 1 << 20))
        ->capture_default_str();
}

// Progress on stderr only when a person watches it and the output is text.
inline checker::Budget make_budget(const BudgetArgs& args, bool text_output) {
    return checker::Budget(args.seconds, args.max_memory_mb, text_output && ::isatty(STDERR_FILENO));
}

}  // namespace critsec::cli
