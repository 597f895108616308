#pragma once
// The whole front end as one call: source -> tokens -> AST -> checked AST -> model.
#include <optional>
#include <string>

#include "model/ast.hpp"
#include "model/diagnostic.hpp"
#include "model/program.hpp"
#include "model/spec_limits.hpp"  // the limits are part of what the front end offers its users
#include "model/token.hpp"

namespace critsec {

struct Compiled {
    SourceFile source;
    std::vector<Token> tokens;
    ast::Module module;
    std::optional<model::Program> program;  // present when there are no errors
    Diagnostics diagnostics;
};

// A file that cannot be read (missing, a directory, a FIFO, a device) gives a
// diagnostic at 0:0 saying why, not an exception and never a wait.
Compiled compile_file(const std::string& path);
// A `.py` file is a Python program (model/python/reader.hpp), anything else a spec.
Dialect dialect_of(const std::string& path);
Compiled compile_source(std::string path, std::string text);

}  // namespace critsec
