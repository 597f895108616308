#pragma once
// Static rules on process objects in `main`: a process started twice, or joined
// without ever being started, is an error when it happens on every path.
#include <set>
#include <string>

#include "model/ast.hpp"
#include "model/diagnostic.hpp"

namespace critsec {

// `process_templates` are the names of the spec's `process` definitions.
Diagnostics check_process_lifecycle(const ast::MainDef& main, const std::set<std::string>& process_templates);

}  // namespace critsec
