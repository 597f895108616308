#pragma once
// Everything the front end does with a spec's bytes: compile, render the
// diagnostics, dump every stage, read the expectations, describe every step.
// The fuzz target and the regression test of its crashers share it, so a
// crasher kept in tests/fuzz_regressions/ replays exactly what failed.
#include <string>

#include "model/expectations.hpp"
#include "model/frontend.hpp"
#include "model/lexer.hpp"

namespace critsec::fuzz {

inline Compiled exercise_frontend(const std::string& text) {
    Compiled c = compile_source("fuzz.crit", text);
    render_all(c.source, c.diagnostics);
    dump_tokens(c.tokens);
    ast::dump(c.module);
    parse_expectations(c.source);
    if (c.program) {
        const auto& p = *c.program;
        for (const auto& instr : p.main.code) model::describe_step(instr, p.main, p);
        for (const auto& t : p.processes)
            for (const auto& instr : t.code) model::describe_step(instr, t, p);
    }
    return c;
}

}  // namespace critsec::fuzz
