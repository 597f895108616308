#pragma once
// The checked lowering: resolves names, checks types and the static rules of
// the language, and emits the model. Errors are collected, never thrown.
#include "model/ast.hpp"
#include "model/diagnostic.hpp"
#include "model/program.hpp"

namespace critsec {

struct LowerResult {
    model::Program program;  // meaningful only when diagnostics has no errors
    Diagnostics diagnostics;
};

LowerResult lower(const ast::Module& module, const std::string& spec_path);

}  // namespace critsec
