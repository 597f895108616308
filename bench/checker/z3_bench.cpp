// Runs the Z3 engine on one spec: `check` (verdicts and per-property seconds), `outcomes`, or `smt2`.
// usage: z3_bench spec.crit [check|outcomes|smt2] [timeout-seconds] [trace]
#include <fmt/format.h>
#include <chrono>
#include <cstdlib>
#include "checker/symbolic/symbolic_session.hpp"
#include "model/expectations.hpp"
#include "model/frontend.hpp"
using namespace critsec;
int main(int argc, char** argv) {
    Compiled c = compile_file(argv[1]);
    if (!c.program) {
        fmt::print("{}", render_all(c.source, c.diagnostics));
        return 65;
    }
    auto ex = parse_expectations(c.source);
    checker::CheckOptions o;
    if (argc > 3) o.timeout_seconds = std::atof(argv[3]);
    std::string mode = argc > 2 ? argv[2] : "check";
    auto t0 = std::chrono::steady_clock::now();
    if (mode == "check") {
        checker::Z3Stats st;
        for (auto& r : checker::check_with_z3(*c.program, o, &st)) {
            fmt::print("{}: {} {}\n", r.name, checker::verdict_name(r.verdict), r.detail);
            if (r.witness && argc > 4)
                for (auto& s : r.witness->steps)
                    fmt::print("   {:10} {:3} {} {}{}\n", s.process, s.step, s.action, s.lost_write ? " LOST" : "",
                               s.overwritten ? " OVERWRITTEN" : "");
        }
        for (auto& [n, t] : st.property_seconds) fmt::print("  {}: {:.3f}s\n", n, t);
        fmt::print("events {} constraints {} queries {} solve {:.3f}\n", st.events, st.constraints, st.queries, st.solve_seconds);
    } else if (mode == "smt2") {
        fmt::print("{}", checker::to_smt2(*c.program, o));
    } else {
        if (ex.fixed_inputs) o.fixed_inputs = std::vector<int64_t>(ex.fixed_inputs->begin(), ex.fixed_inputs->end());
        std::string inc;
        auto outs = checker::outcomes_with_z3(*c.program, o, &inc);
        for (auto& x : outs) fmt::print("{}{}--\n", x.serial ? "[serial]\n" : "", x.text);
        fmt::print("{} outcomes; incomplete: {}\n", outs.size(), inc);
    }
    fmt::print("time {:.3f}s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}
