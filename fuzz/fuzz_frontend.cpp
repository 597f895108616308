// libFuzzer target over the whole front end: any bytes must give either a model
// or diagnostics, never a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "model/expectations.hpp"
#include "model/frontend.hpp"
#include "model/lexer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    critsec::Compiled c = critsec::compile_source("fuzz.crit", text);
    std::string rendered = critsec::render_all(c.source, c.diagnostics);
    critsec::dump_tokens(c.tokens);
    critsec::ast::dump(c.module);
    critsec::parse_expectations(c.source);
    if (c.program) {
        const auto& p = *c.program;
        for (const auto& instr : p.main.code) critsec::model::describe_step(instr, p.main, p);
        for (const auto& t : p.processes)
            for (const auto& instr : t.code) critsec::model::describe_step(instr, t, p);
    }
    return 0;
}
