#pragma once
// The shared state a run ended with, as outcome text: every Value and Array at
// its typecode's width, every File's content (or its absence), written as the
// model's MemoryWorld::outcome_text() writes them, so the two can be compared.
#include <string>
#include <vector>

#include "model/program.hpp"
#include "runtime/arena.hpp"
#include "runtime/file_sandbox.hpp"

namespace critsec::runtime {

std::vector<std::string> describe_final_state(const model::Program& program, const Arena& arena, const FileSandbox& files);

}  // namespace critsec::runtime
