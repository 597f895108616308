#include "tests/spec_paths.hpp"

#include <catch2/catch.hpp>

namespace critsec::test {

static model::Program ok_or_fail(Compiled c) {
    INFO(render_all(c.source, c.diagnostics));
    REQUIRE(c.program.has_value());
    return std::move(*c.program);
}

model::Program compile_ok(const std::string& path) { return ok_or_fail(compile_file(path)); }
model::Program compile_text_ok(const std::string& text) { return ok_or_fail(compile_source("test.crit", text)); }

}  // namespace critsec::test
