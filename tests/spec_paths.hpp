#pragma once
// Where the tests find the specs and the binary, whatever the working directory.
#include <string>

#include "model/frontend.hpp"

namespace critsec::test {

inline std::string source_path(const std::string& relative) { return std::string(CRITSEC_SOURCE_DIR) + "/" + relative; }
inline std::string tutorial_spec(const std::string& name) { return source_path("specs/tutorial/" + name); }

// Compiles a spec the tests expect to be valid; fails the test with the diagnostics if not.
model::Program compile_ok(const std::string& path);
model::Program compile_text_ok(const std::string& text);

}  // namespace critsec::test
