#pragma once
// Python's statements that a spec writes otherwise: `try:`/`finally:` as its two
// blocks one after the other, `a, b = x, y` as one assignment per name, and
// `for c in (1, 2)` over a list.
#include <optional>

#include "model/ast.hpp"
#include "model/diagnostic.hpp"

namespace critsec::python {

// The statements `s` is read as, or nothing when it is read as it is. What cannot
// be read is reported in `diags` (and read as no statement).
std::optional<ast::Block> python_statement(ast::Stmt& s, Diagnostics& diags);

}  // namespace critsec::python
