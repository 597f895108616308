#include "cli/explore_command.hpp"

#include <fmt/format.h>

#include <fstream>

#include "checker/budget.hpp"
#include "checker/explorer/play_graph.hpp"
#include "checker/explorer/properties.hpp"
#include "checker/explorer/seeded_draws.hpp"
#include "checker/witness/explore_page.hpp"
#include "checker/witness/shortest_witness.hpp"
#include "cli/exit_codes.hpp"
#include "cli/load_spec.hpp"
#include "cli/main_inputs.hpp"
#include "model/expectations.hpp"

namespace critsec::cli {
namespace {

struct ExploreArgs {
    std::string spec;
    std::string output;
    std::string inputs;
    uint64_t seed = 1;
    size_t max_states = 20'000;
    double timeout = 60;
};

// main's draws: --inputs, else the spec's `# fixed-inputs:`, else drawn from the seed.
checker::DrawPolicy main_draws(const ExploreArgs& a, const Compiled& compiled, const std::optional<std::vector<int64_t>>& given,
                               std::string& from) {
    checker::DrawPolicy draws;
    if (given) {
        draws.main_inputs = given;
        from = "--inputs";
    } else if (SpecExpectations e = parse_expectations(compiled.source); e.fixed_inputs) {
        draws.main_inputs = std::vector<int64_t>(e.fixed_inputs->begin(), e.fixed_inputs->end());
        from = "`# fixed-inputs:`";
    } else {
        draws.main_choice = checker::seeded_main_choice(a.seed);  // as `outcomes --seed` draws them
        from = fmt::format("--seed {}", a.seed);
    }
    return draws;
}

int run_explore(const ExploreArgs& a) {
    int status = exit_code::ok;
    auto compiled = load_spec(a.spec, Format::Text, status);
    if (!compiled) return status;
    const model::Program& program = *compiled->program;
    std::optional<std::vector<int64_t>> given;
    if (!read_inputs_option(a.inputs, given)) return exit_code::usage;
    std::string from;
    checker::DrawPolicy draws = main_draws(a, *compiled, given, from);
    checker::PreparedProgram prepared = checker::prepare(program);
    checker::Budget budget(a.timeout, checker::kDefaultMaxMemoryMb, false);
    checker::PlayGraph graph;
    try {
        if (draws.main_inputs) checker::check_main_inputs(prepared, *draws.main_inputs);
        graph = checker::build_play_graph(prepared, draws, a.max_states, &budget);
    } catch (const checker::InputOutOfRange& e) {
        print_out_of_range(program, e, from);
        return from == "--inputs" ? exit_code::usage : exit_code::data_error;
    }
    if (!graph.complete) {
        // The graph's own words ("met no end") suit a search; a page only has a size.
        std::string why =
            graph.states.size() >= a.max_states ? fmt::format("its state graph has more than {} states", a.max_states) : graph.incomplete;
        fmt::print(
            stderr,
            "critsec explore: {}: no page: {}; a page is for a small spec (fewer processes or steps; --max-states raises the limit)\n",
            a.spec, why);
        return exit_code::inconclusive;
    }
    checker::ExplorerSettings settings;
    settings.options.fixed_inputs = graph.inputs;
    settings.options.budget = &budget;
    settings.max_states = a.max_states * 10;  // the checker's search reduces; it never needs more than the whole graph
    std::vector<checker::PropertyResult> verdicts = checker::check_with_explorer(program, settings).properties;
    checker::shorten_counterexamples(program, verdicts);  // the counterexample `check` shows
    std::vector<checker::ExploreGoal> goals = checker::explore_goals(program, graph, verdicts);
    std::string page = checker::explore_page(checker::explore_json(program, compiled->source.text(), graph, goals, verdicts));
    std::ofstream out(a.output, std::ios::binary);
    out << page;
    out.close();
    if (!out) {
        fmt::print(stderr, "critsec explore: cannot write {}\n", a.output);
        return exit_code::os_error;
    }
    std::vector<std::string> titles;
    for (const auto& g : goals) titles.push_back(g.title);
    std::string inputs = graph.inputs.empty() ? "no inputs" : fmt::format("inputs from {}: {}", from, fmt::join(graph.inputs, " "));
    fmt::print("{}: wrote {} ({} states, {} moves; {}); goals: {}\n", a.spec, a.output, graph.states.size(), graph.moves.size(), inputs,
               titles.empty() ? "none (every property holds)" : fmt::format("{}", fmt::join(titles, "; ")));
    return exit_code::ok;
}

}  // namespace

void add_explore_command(CLI::App& app, int& exit_status) {
    auto* cmd = app.add_subcommand("explore",
                                   "Write a page (one self-contained HTML file) where you are the scheduler: click a process to "
                                   "take its step, reach the goal the checker found (a failed assert, a lost update, a deadlock)");
    auto args = std::make_shared<ExploreArgs>();
    cmd->add_option("spec", args->spec, "the spec (.crit or .py)")->required();
    cmd->add_option("-o,--output", args->output, "the page to write (HTML)")->required();
    auto* inputs = cmd->add_option("--inputs", args->inputs,
                                   "fix main's randint draws, in order: \"3 4 1 2\" (default: the spec's "
                                   "`# fixed-inputs:`, else drawn from --seed)");
    cmd->add_option("--seed", args->seed, "draw main's randint inputs from this seed")->excludes(inputs)->capture_default_str();
    cmd->add_option("--max-states", args->max_states, "the most states a page holds; past it, no page (exit 2)")->capture_default_str();
    cmd->add_option("--timeout", args->timeout, "seconds the whole command may take")
        ->check(CLI::Range(0.1, 86400.0))
        ->capture_default_str();
    cmd->callback([args, &exit_status] { exit_status = run_explore(*args); });
}

}  // namespace critsec::cli
