#include "checker/outcomes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "chart/natural_order.hpp"
#include "checker/explorer/input_taint.hpp"
#include "checker/explorer/loop_policy.hpp"
#include "checker/explorer/outcome_search.hpp"
#include "checker/explorer/progress.hpp"
#include "checker/explorer/replay.hpp"
#include "checker/explorer/seeded_draws.hpp"
#include "checker/symbolic/compiled_search.hpp"

namespace critsec::checker {
namespace {

// Executions that never end are outcomes too: a real run caught in one is
// stopped by the runtime's livelock watch and shows this text.
void add_livelocks(OutcomeReport& out, const PreparedProgram& prepared, const DrawPolicy& draws, size_t max_states, const Budget* budget) {
    auto found = find_livelocks(prepared, draws, std::min(max_states, kUncountedLoopStates), 1000, budget);
    if (!found) return;
    for (auto& l : found->livelocks) {
        bool known = std::any_of(out.outcomes.begin(), out.outcomes.end(), [&](const Outcome& o) { return o.text == l.text; });
        if (!known) out.outcomes.push_back(Outcome{l.text, false, std::move(l.lasso)});
    }
    if (!found->complete && out.complete && !out.bound_hit) {
        out.complete = false;
        out.incomplete = "the executions that never end were not all searched: " + found->incomplete;
    }
}

}  // namespace

OutcomeReport enumerate_outcomes(const model::Program& program, const OutcomeSettings& settings) {
    OutcomeReport out;
    PreparedProgram prepared = prepare(program);
    ExploreOptions o;
    o.bound = settings.options.bound;
    o.max_states = settings.max_states;
    o.budget = settings.options.budget;
    o.reduce = settings.reduce;
    o.draws.max_branching = settings.max_input_combinations;
    if (settings.options.fixed_inputs) {
        check_main_inputs(prepared, *settings.options.fixed_inputs);  // throws InputOutOfRange
        o.draws.main_inputs = settings.options.fixed_inputs;
        out.scope = InputScope::Fixed;
        out.scope_text = fmt::format("inputs fixed: {}", fmt::join(*settings.options.fixed_inputs, " "));
    } else if (settings.seed) {
        uint64_t seed = *settings.seed;
        o.draws.main_choice = seeded_main_choice(seed);
        out.scope = InputScope::Fixed;
        out.scope_text = fmt::format("main's inputs drawn from seed {}", seed);
    } else if (analyse_inputs(prepared).any_draws) {
        out.scope = InputScope::All;
        out.scope_text = "every randint combination";
    } else {
        out.scope = InputScope::None;
        out.scope_text = "no inputs";
    }
    o.draws.child_draws = settings.options.child_draws;
    if (!o.draws.child_draws.empty()) {
        std::vector<std::string> drew;
        for (const auto& [label, draws] : o.draws.child_draws) drew.push_back(fmt::format("{} {}", label, fmt::join(draws, " ")));
        out.scope_text += fmt::format("; children's draws fixed: {}", fmt::join(drew, ", "));
    }
    OutcomeSearchOptions search;
    search.bound = o.bound;
    search.draws = o.draws;
    search.max_states = o.max_states;
    search.budget = o.budget;
    search.reduce = o.reduce;
    // The compiled search where the spec has its shape; the explorer's moves otherwise.
    std::optional<OutcomeSearchReport> compiled;
    // The compiled search enumerates children's draws: it cannot take them fixed.
    if (settings.compiled && o.draws.child_draws.empty()) compiled = search_outcomes_compiled(prepared, search, &out.compiled_declined);
    out.compiled = compiled.has_value();
    OutcomeSearchReport full = compiled ? std::move(*compiled) : search_outcomes(prepared, search);
    out.states = full.states;
    out.complete = full.complete;
    out.incomplete = full.incomplete;
    if (full.too_many_inputs) out.incomplete += "; fix main's inputs with --inputs or --seed (or the spec's `# fixed-inputs:`)";
    out.bound_hit = full.bound_hit;
    out.loops_note = full.loops_note;
    // Past the budget the outcomes found are still reachable, each with its witness:
    // enough to confirm that an outcome happens, never that one does not.
    if (!full.complete && full.outcomes.empty()) return out;

    ExploreOptions serial = o;
    serial.serial = true;
    serial.reduce = false;
    ExploreReport s = explore(prepared, serial);
    out.serial_states = s.states;
    const std::set<std::string>& serial_texts = s.outcomes;

    for (const auto& [text, path] : full.outcomes) {
        Outcome oc;
        oc.text = text;
        oc.serial = serial_texts.count(text) > 0;
        oc.witness = replay_witness(prepared, witness_from_moves(path)).witness;
        out.outcomes.push_back(std::move(oc));
    }
    if (!out.bound_hit) add_livelocks(out, prepared, o.draws, settings.max_states, o.budget);  // cut loops: no finite graph either
    std::sort(out.outcomes.begin(), out.outcomes.end(), [](const Outcome& a, const Outcome& b) { return chart::natural_less(a.text, b.text); });
    if (settings.seed && !out.outcomes.empty() && !out.outcomes.front().witness.inputs.empty())
        out.scope_text += fmt::format(": {}", fmt::join(out.outcomes.front().witness.inputs, " "));
    return out;
}

}  // namespace critsec::checker
