#pragma once
// The whole front end as one call: source -> tokens -> AST -> checked AST -> model.
#include <optional>
#include <string>

#include "model/ast.hpp"
#include "model/diagnostic.hpp"
#include "model/program.hpp"
#include "model/token.hpp"

namespace critsec {

struct Compiled {
    SourceFile source;
    std::vector<Token> tokens;
    ast::Module module;
    std::optional<model::Program> program;  // present when there are no errors
    Diagnostics diagnostics;
};

// A file that cannot be read gives a diagnostic at 0:0, not an exception.
Compiled compile_file(const std::string& path);
Compiled compile_source(std::string path, std::string text);

// Limits that protect a shared teaching machine from an untrusted spec.
inline constexpr int kMaxInstances = 256;        // processes a spec may create (main not counted)
inline constexpr int kMaxProcesses = kMaxInstances + 1;  // the same cap with main counted: `critsec run --max-procs`
inline constexpr int kMaxRangeIterations = 1000; // iterations of one static `for` range

}  // namespace critsec
