#pragma once
// Reads a Python `multiprocessing` program, parsed in the Python dialect, as a
// spec: the same syntax tree that a `.crit` file gives, so that one lowering,
// one model and every engine serve both. What the reader does:
//
//   - imports name the modules' functions: `from multiprocessing import Lock as L`,
//     `import multiprocessing as mp` then `mp.Value(...)`, `os.getpid()`;
//   - a `class X(Process)` becomes a process template: the parameters of its
//     `__init__`, the body of its `run`, its `self` fields read as those
//     parameters (or as locals set first);
//   - a function given as `Process(target=f, args=(...))` becomes a template too,
//     and that call a start of it;
//   - shared objects made in `__main__` become globals, and a parameter that every
//     start gives the same shared object is read as that object (a spec names
//     shared objects, it does not pass them);
//   - `current_process().pid`, `parent_process().pid`, `os.getpid()` become the
//     spec's `pid()` and `parent_pid()`.
//
// What it cannot read gets one diagnostic at its place, saying what is not
// supported and what to do.
#include "model/ast.hpp"
#include "model/diagnostic.hpp"

namespace critsec {

struct PythonReadResult {
    ast::Module module;  // in the spec's form: globals, processes, main
    Diagnostics diagnostics;
};

PythonReadResult read_python(ast::Module program);

}  // namespace critsec
