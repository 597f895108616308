#pragma once
// The version of the Z3 library critsec runs with, for `critsec --version`:
// a Z3-free header, so that cli/ can ask without including Z3 (the layers,
// cmake/check_layers.cmake).
#include <string>

namespace critsec::checker {

// "4.8.12", as the linked library reports it (Z3_get_version): the one that
// decides the verdicts, which may be newer than the headers critsec was built against.
std::string z3_version();

}  // namespace critsec::checker
