#include "checker/symbolic/symbolic_session.hpp"

#include <z3++.h>

#include <algorithm>
#include <optional>

#include "checker/budget.hpp"

#include "checker/symbolic/induction.hpp"
#include "checker/symbolic/shape_safety.hpp"
#include "checker/symbolic/transition_system.hpp"
#include "checker/symbolic/z3_engine.hpp"

namespace critsec::checker {

struct SymbolicSession::Shared {
    Shared(const model::Program& program_, const CheckOptions& options_) : program(program_), options(options_) {}

    // Made on first use: a check the explorer settles alone never pays for a context.
    z3::context& ctx() {
        if (!context) {
            // Z3's own cap (global, in MB): past it a query answers unknown instead of taking the machine.
            if (options.budget && options.budget->max_memory_mb() > 0)
                z3::set_param("memory_max_size", static_cast<int>(options.budget->max_memory_mb()));
            context.emplace();
        }
        return *context;
    }
    // Each engine gets what is left of the command's time, not a fresh timeout.
    CheckOptions timed() const {
        CheckOptions o = options;
        if (o.budget) o.timeout_seconds = std::min(o.timeout_seconds, o.budget->seconds_left());
        return o;
    }
    const Extraction& extraction() {
        if (!extracted) extracted = extract_transition_system(ctx(), program, options.fixed_inputs);
        return *extracted;
    }

    const model::Program& program;
    CheckOptions options;
    std::optional<z3::context> context;
    std::optional<Extraction> extracted;  // after context: its terms live in that context
};

SymbolicSession::SymbolicSession(const model::Program& program, const CheckOptions& options)
    : shared_(std::make_unique<Shared>(program, options)) {}

SymbolicSession::~SymbolicSession() = default;

ShapeSafety SymbolicSession::prove_safety_by_shape() {
    return checker::prove_safety_by_shape(shared_->program, shared_->ctx(), shared_->extraction(), shared_->timed());
}

InductionResult SymbolicSession::prove_by_induction() {
    return checker::prove_by_induction(shared_->program, shared_->ctx(), shared_->extraction(), shared_->timed());
}

std::vector<PropertyResult> SymbolicSession::check_with_z3(Z3Stats* stats) {
    return checker::check_with_z3(shared_->ctx(), shared_->program, shared_->timed(), stats);
}

std::string SymbolicSession::encoding_smt2() { return checker::encoding_smt2(shared_->ctx(), shared_->program, shared_->timed()); }

}  // namespace critsec::checker
