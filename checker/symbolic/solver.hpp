#pragma once
// The one boundary between critsec and Z3's solver: every check answers sat,
// unsat or unknown (with Z3's reason), under a time limit, and never throws a
// z3::exception past this file. The encoder builds terms; only this file runs them.
#include <z3++.h>

#include <optional>
#include <string>
#include <vector>

namespace critsec::checker {

enum class SatResult { Sat, Unsat, Unknown };

struct SolveResult {
    SatResult result = SatResult::Unknown;
    std::string reason;              // Unknown: Z3's reason ("timeout", "canceled", an exception)
    std::optional<z3::model> model;  // Sat only
    double seconds = 0;
};

// Z3's plain SMT kernel (no tactic front end), which the prototype found ~10x
// faster than the default tactic on ordering constraints. A check may try a
// small portfolio of random seeds, each with a share of the time limit, since
// satisfiable ordering problems have heavy-tailed solve times.
class Solver {
public:
    Solver(z3::context& ctx, double timeout_seconds, int portfolio = 1);

    // A constraint Z3 refuses (a z3::exception) is kept as the reason every
    // later check answers unknown (a pop does not forget it: unknown is never wrong).
    void add(const z3::expr& constraint);
    void push();
    void pop();
    // Checks the assertions plus `assumptions` (Boolean literals or formulas).
    SolveResult check(const std::vector<z3::expr>& assumptions = {});
    std::string to_smt2() const;
    z3::context& ctx() { return ctx_; }
    double timeout_seconds() const { return timeout_; }
    // Sets the remaining time budget for later checks.
    void set_timeout(double seconds);

private:
    z3::context& ctx_;
    z3::solver solver_;
    double timeout_;
    int portfolio_;
    std::string refused_;  // "z3: ..." once an add failed
};

}  // namespace critsec::checker
