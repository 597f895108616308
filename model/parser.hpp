#pragma once
// Tokens to a syntax tree. Recovers at statement boundaries so that one run
// reports every syntax error of a file.
#include "model/ast.hpp"
#include "model/diagnostic.hpp"
#include "model/token.hpp"

namespace critsec {

struct ParseResult {
    ast::Module module;
    Diagnostics diagnostics;
};

ParseResult parse(const std::vector<Token>& tokens, Dialect dialect = Dialect::Crit);

}  // namespace critsec
