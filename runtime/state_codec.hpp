#pragma once
// A new process's initial state as bytes, so a reused (litmus mode) worker can
// receive what fork would have copied: its template, label, arguments, globals.
#include <string>

#include "model/semantics.hpp"

namespace critsec::runtime {

std::string encode_start_state(const model::ProcessState& state);
// Throws std::runtime_error on bytes it did not write.
model::ProcessState decode_start_state(const char* data, size_t size);

}  // namespace critsec::runtime
