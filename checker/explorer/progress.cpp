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
    int entry = -1;                              // its first-found node
    std::vector<std::pair<int, size_t>> edges;   // (node, edge) inside: one per process that moves in it
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

// "Waiter#1 (line 4) moves forever; main (line 9) waits for it".
std::string livelock_detail(const PreparedProgram& prepared, const model::MemoryWorld& at, const std::vector<int>& movers) {
    std::vector<std::string> moving, waiting;
    for (const auto& p : at.processes) {
        if (p.finished) continue;
        bool moves = std::find(movers.begin(), movers.end(), p.instance) != movers.end();
        (moves ? moving : waiting).push_back(where(prepared, p));
    }
    std::string text = fmt::format("{} {} forever without finishing", fmt::join(moving, " and "), moving.size() == 1 ? "moves" : "move");
    if (!waiting.empty()) text += fmt::format(", while {} {} for good", fmt::join(waiting, " and "), waiting.size() == 1 ? "waits" : "wait");
    return text + fmt::format(": an execution that never ends ({})", kFairness);
}

PropertyResult progress_result(Verdict verdict, std::string detail, std::optional<Witness> witness = std::nullopt) {
    return PropertyResult{PropertyKind::Progress, "progress", verdict, std::move(detail), std::move(witness), "progress"};
}

PropertyResult violated(const PreparedProgram& prepared, const StateGraph& g, const std::vector<int>& component, const FairCycle& f) {
    std::vector<Move> moves = path_to(g, f.entry);
    size_t cycle_from = witness_from_moves(moves).steps.size();
    for (auto& m : cycle_moves(g, component, f)) moves.push_back(std::move(m));
    Witness w = witness_from_moves(moves);
    Replayed r = replay_witness(prepared, w, /*fingerprint_rows=*/true);
    if (!closes(r, cycle_from))
        return progress_result(Verdict::Unknown, "internal: the lasso found did not replay as a cycle (a bug of critsec's; please report it)");
    std::vector<int> movers;
    for (const auto& [v, e] : f.edges) movers.push_back(g.nodes[v].out[e].move.instance);
    r.witness.cycle_from = static_cast<int>(cycle_from);
    return progress_result(Verdict::Violated, livelock_detail(prepared, r.worlds[cycle_from], movers), std::move(r.witness));
}

}  // namespace

std::optional<PropertyResult> check_progress(const PreparedProgram& prepared, const ExplorerSettings& settings) {
    if (!has_while_loops(prepared.program)) return std::nullopt;
    DrawPolicy draws;
    draws.main_inputs = settings.options.fixed_inputs;
    draws.max_branching = settings.max_input_combinations;
    StateGraph g = build_state_graph(prepared, draws, std::min(settings.max_states, kUncountedLoopStates));
    std::vector<int> component = strong_components(g);
    std::vector<std::vector<int>> members;
    for (size_t v = 0; v < component.size(); ++v) {
        if (static_cast<size_t>(component[v]) >= members.size()) members.resize(component[v] + 1);
        members[component[v]].push_back(static_cast<int>(v));
    }
    // The cycle nearest the start (its entry found first) gives the shortest lasso.
    std::optional<FairCycle> best;
    for (size_t c = 0; c < members.size(); ++c) {
        auto f = fair_cycle(g, component, static_cast<int>(c), members[c]);
        if (f && (!best || f->entry < best->entry)) best = std::move(f);
    }
    if (best) return violated(prepared, g, component, *best);
    if (!g.complete)
        return progress_result(Verdict::Unknown, fmt::format("no execution found that runs forever, but {}: progress is decided only where "
                                                             "the states are finite",
                                                             g.incomplete));
    return progress_result(Verdict::Proved, fmt::format("no execution runs forever ({}; {} states)", kFairness, g.nodes.size()));
}

}  // namespace critsec::checker
