#include "checker/symbolic/solver.hpp"

#include <chrono>

namespace critsec::checker {

Solver::Solver(z3::context& ctx, double timeout_seconds, int portfolio)
    : ctx_(ctx), solver_(ctx, z3::solver::simple()), timeout_(timeout_seconds), portfolio_(portfolio < 1 ? 1 : portfolio) {}

void Solver::add(const z3::expr& constraint) {
    try {
        solver_.add(constraint);
    } catch (const z3::exception& e) {
        if (refused_.empty()) refused_ = std::string("z3: ") + e.msg();
    }
}

void Solver::push() { solver_.push(); }
void Solver::pop() { solver_.pop(); }
void Solver::set_timeout(double seconds) { timeout_ = seconds; }

SolveResult Solver::check(const std::vector<z3::expr>& assumptions) {
    SolveResult out;
    auto started = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    if (!refused_.empty()) {
        out.reason = refused_;
        return out;
    }
    if (timeout_ <= 0) {
        out.reason = "timeout";
        return out;
    }
    try {
        // Each portfolio member gets a growing share of the budget: short tries
        // with different seeds first, then the rest of the time for the last one.
        for (int attempt = 0; attempt < portfolio_; ++attempt) {
            double left = timeout_ - elapsed();
            if (left <= 0) break;
            double share = attempt + 1 < portfolio_ ? std::min(left, std::max(0.05, timeout_ / (4.0 * portfolio_))) : left;
            z3::params p(ctx_);
            p.set("timeout", static_cast<unsigned>(std::max(1.0, share * 1000)));
            p.set("random_seed", static_cast<unsigned>(attempt * 7919));
            solver_.set(p);
            z3::expr_vector assume(ctx_);
            for (const auto& a : assumptions) assume.push_back(a);
            z3::check_result r = assume.empty() ? solver_.check() : solver_.check(assume);
            if (r == z3::sat) {
                out.result = SatResult::Sat;
                out.model = solver_.get_model();
                out.reason.clear();
                break;
            }
            if (r == z3::unsat) {
                out.result = SatResult::Unsat;
                out.reason.clear();
                break;
            }
            out.result = SatResult::Unknown;
            out.reason = solver_.reason_unknown();
        }
    } catch (const z3::exception& e) {
        out.result = SatResult::Unknown;
        out.model.reset();
        out.reason = std::string("z3: ") + e.msg();
    }
    out.seconds = elapsed();
    if (out.result == SatResult::Unknown && out.reason.empty()) out.reason = "timeout";
    return out;
}

std::string Solver::to_smt2() const {
    try {
        return const_cast<z3::solver&>(solver_).to_smt2();
    } catch (const z3::exception& e) {
        return std::string("; z3: ") + e.msg() + "\n";
    }
}

}  // namespace critsec::checker
