#include "checker/explorer/progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>

#include "checker/explorer/loop_policy.hpp"
#include "checker/explorer/replay.hpp"
#include "checker/explorer/state_graph.hpp"

namespace critsec::checker {
namespace {

constexpr const char* kFairness = "weak fairness: a process able to move all along eventually moves";

struct FairCycle {
    int entry = -1;                             // its first-found node
    std::vector<std::pair<int, size_t>> edges;  // (node, edge) inside: one per process that moves in it
};

// A component holds a fair cycle when it has an edge inside and every process
// able to move in each of its states moves inside it: then one cycle through
// all of its states and those edges is fair. Otherwise no cycle in it is.
std::optional<FairCycle> fair_cycle(const StateGraph& g, const std::vector<int>& component, int c, const std::vector<int>& members) {
    std::map<int, std::pair<int, size_t>> moves_inside;  // instance -> an edge of it inside
    std::map<int, size_t> enabled_in;                    // instance -> states of c where it can move
    for (int v : members) {
        if (!g.nodes[v].expanded) return std::nullopt;  // its edges are not all known
        for (int i : g.nodes[v].enabled) ++enabled_in[i];
        const auto& out = g.nodes[v].out;
        for (size_t e = 0; e < out.size(); ++e)
            if (component[out[e].to] == c) moves_inside.try_emplace(out[e].move.instance, v, e);
    }
    if (moves_inside.empty()) return std::nullopt;
    for (const auto& [instance, count] : enabled_in)
        if (count == members.size() && !moves_inside.count(instance)) return std::nullopt;
    FairCycle f;
    f.entry = *std::min_element(members.begin(), members.end());
    for (const auto& [instance, edge] : moves_inside) f.edges.push_back(edge);
    return f;
}

// The moves of a shortest path from `from` to `to` that stays inside component c.
std::vector<Move> route(const StateGraph& g, const std::vector<int>& component, int from, int to) {
    std::map<int, std::pair<int, size_t>> came;  // node -> (previous node, edge)
    std::deque<int> queue{from};
    came[from] = {-1, 0};
    while (!queue.empty() && !came.count(to)) {
        int v = queue.front();
        queue.pop_front();
        const auto& out = g.nodes[v].out;
        for (size_t e = 0; e < out.size(); ++e) {
            int w = out[e].to;
            if (component[w] != component[from] || came.count(w)) continue;
            came[w] = {v, e};
            queue.push_back(w);
        }
    }
    std::vector<Move> path;
    for (int at = to; at != from; at = came.at(at).first) path.push_back(g.nodes[came.at(at).first].out[came.at(at).second].move);
    std::reverse(path.begin(), path.end());
    return path;
}

// Round the cycle: each chosen edge in turn, then back to the entry.
std::vector<Move> cycle_moves(const StateGraph& g, const std::vector<int>& component, const FairCycle& f) {
    std::vector<Move> moves;
    int at = f.entry;
    for (const auto& [v, e] : f.edges) {
        for (auto& m : route(g, component, at, v)) moves.push_back(std::move(m));
        moves.push_back(g.nodes[v].out[e].move);
        at = g.nodes[v].out[e].to;
    }
    for (auto& m : route(g, component, at, f.entry)) moves.push_back(std::move(m));
    return moves;
}

// The replayed lasso comes back to the state its cycle began in.
bool closes(const Replayed& r, size_t cycle_from) {
    return r.ok && cycle_from + 1 < r.fingerprints.size() && r.fingerprints[cycle_from] == r.fingerprints.back();
}

std::string where(const PreparedProgram& prepared, const model::ProcessState& p) {
    return fmt::format("{} (line {})", p.label, prepared.code(p.process).code.at(p.pc).loc.line);
}

// The unfinished processes, those that move in the cycle first, each named by `name`.
template <class Name>
std::pair<std::vector<std::string>, std::vector<std::string>> by_movers(const model::MemoryWorld& at, const std::vector<int>& movers,
                                                                        Name name) {
    std::pair<std::vector<std::string>, std::vector<std::string>> out;
    for (const auto& p : at.processes) {
        if (p.finished) continue;
        bool moves = std::find(movers.begin(), movers.end(), p.instance) != movers.end();
        (moves ? out.first : out.second).push_back(name(p));
    }
    return out;
}

// "Waiter#1 (line 4) moves forever; main (line 9) waits for it".
std::string livelock_detail(const PreparedProgram& prepared, const model::MemoryWorld& at, const std::vector<int>& movers) {
    auto [moving, waiting] = by_movers(at, movers, [&](const model::ProcessState& p) { return where(prepared, p); });
    std::string text = fmt::format("{} {} forever without finishing", fmt::join(moving, " and "), moving.size() == 1 ? "moves" : "move");
    if (!waiting.empty())
        text += fmt::format(", while {} {} for good", fmt::join(waiting, " and "), waiting.size() == 1 ? "waits" : "wait");
    return text + fmt::format(": an execution that never ends ({})", kFairness);
}

// The outcome a real run stopped in this cycle shows (compare/observed_outcome.cpp):
// the state, main's prints, then who spins and who is blocked, in process order.
std::string livelock_text(const Machine& machine, const std::vector<Move>& path, const std::vector<int>& movers) {
    std::optional<MachineState> s;
    for (const auto& m : path) {
        auto t = machine.replay(s ? *s : MachineState(machine.prepared().program), m.instance, m.draws, {});
        if (!t) return "";
        s = std::move(t->next);
    }
    if (!s) return "";
    std::string out = s->world.outcome_text();
    for (const auto& line : s->main_prints) out += fmt::format("main prints: {}\n", line);
    auto [spinning, blocked] = by_movers(s->world, movers, [](const model::ProcessState& p) { return p.label; });
    return out + livelock_line(spinning, blocked);
}

PropertyResult progress_result(Verdict verdict, std::string detail, std::optional<Witness> witness = std::nullopt) {
    return PropertyResult{PropertyKind::Progress, "progress", verdict, std::move(detail), std::move(witness), "progress"};
}

// The lasso of a fair cycle, replayed and checked to come back; nullopt when it does not.
std::optional<Livelock> describe(const PreparedProgram& prepared, const Machine& machine, const StateGraph& g,
                                 const std::vector<int>& component, const FairCycle& f) {
    std::vector<Move> moves = path_to(g, f.entry);
    std::vector<Move> stem = moves;
    size_t cycle_from = witness_from_moves(moves).steps.size();
    for (auto& m : cycle_moves(g, component, f)) moves.push_back(std::move(m));
    Replayed r = replay_witness(prepared, witness_from_moves(moves), /*fingerprint_rows=*/true);
    if (!closes(r, cycle_from)) return std::nullopt;
    std::vector<int> movers;
    for (const auto& [v, e] : f.edges) movers.push_back(g.nodes[v].out[e].move.instance);
    r.witness.cycle_from = static_cast<int>(cycle_from);
    return Livelock{livelock_text(machine, stem, movers), std::move(r.witness), livelock_detail(prepared, r.worlds[cycle_from], movers)};
}

}  // namespace

std::optional<LivelockSearch> find_livelocks(const PreparedProgram& prepared, const DrawPolicy& draws, size_t max_states,
                                             size_t max_livelocks, const Budget* budget) {
    if (!has_while_loops(prepared.program)) return std::nullopt;
    StateGraph g = build_state_graph(prepared, draws, max_states, budget);
    LivelockSearch out;
    out.complete = g.complete;
    out.incomplete = g.incomplete;
    out.states = g.nodes.size();
    std::vector<int> component = strong_components(g);
    std::vector<std::vector<int>> members;
    for (size_t v = 0; v < component.size(); ++v) {
        if (static_cast<size_t>(component[v]) >= members.size()) members.resize(component[v] + 1);
        members[component[v]].push_back(static_cast<int>(v));
    }
    std::vector<FairCycle> cycles;
    for (size_t c = 0; c < members.size(); ++c)
        if (auto f = fair_cycle(g, component, static_cast<int>(c), members[c])) cycles.push_back(std::move(*f));
    // Nearest the start first: the first has the shortest stem.
    std::sort(cycles.begin(), cycles.end(), [](const FairCycle& a, const FairCycle& b) { return a.entry < b.entry; });
    Machine machine(prepared, Watch{}, DrawPolicy{}, kLoopsUncounted, false, /*lost_updates=*/false);
    for (const auto& f : cycles) {
        if (out.livelocks.size() >= max_livelocks) {
            out.complete = false;
            out.incomplete = fmt::format("over {} executions that never end", max_livelocks);
            break;
        }
        auto l = describe(prepared, machine, g, component, f);
        if (!l) {
            out.problem = "the lasso found did not replay as a cycle";
            continue;
        }
        out.livelocks.push_back(std::move(*l));
    }
    return out;
}

std::optional<PropertyResult> check_progress(const PreparedProgram& prepared, const ExplorerSettings& settings) {
    DrawPolicy draws;
    draws.main_inputs = settings.options.fixed_inputs;
    draws.max_branching = settings.max_input_combinations;
    auto found = find_livelocks(prepared, draws, std::min(settings.max_states, kUncountedLoopStates), 1, settings.options.budget);
    if (!found) return std::nullopt;
    if (!found->livelocks.empty()) {
        Livelock& first = found->livelocks.front();
        return progress_result(Verdict::Violated, first.detail, std::move(first.lasso));
    }
    if (!found->problem.empty())
        return progress_result(Verdict::Unknown, "internal: " + found->problem + " (a bug of critsec's; please report it)");
    if (!found->complete)
        return progress_result(Verdict::Unknown, fmt::format("no execution found that runs forever, but {}: progress is decided only where "
                                                             "the states are finite",
                                                             found->incomplete));
    return progress_result(Verdict::Proved, fmt::format("no execution runs forever ({}; {} states)", kFairness, found->states));
}

}  // namespace critsec::checker
