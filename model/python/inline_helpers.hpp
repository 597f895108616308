#pragma once
// A Python program's helper functions (those no Process runs) inlined where they
// are called, so that the steps they take are the caller's, as they are at run
// time: `def main():` called under `if __name__ == "__main__":`, `deposit(total, 5)`
// as a statement, `x = compute(a)` with one `return` at the end. Each call gets the
// body anew: parameters given a plain name read that name, the others are set
// first as locals; a local that the caller also uses is renamed `helper_local`.
// A call in another place (inside an expression), an early `return` and recursion
// are reported.
#include <set>
#include <string>

#include "model/ast.hpp"
#include "model/diagnostic.hpp"

namespace critsec::python {

// Inlines into every body of `program` that runs: main, the functions in `targets`
// and the classes' methods. The helpers stay in `program.functions` (unused).
Diagnostics inline_helpers(ast::Module& program, const std::set<std::string>& targets);

}  // namespace critsec::python
