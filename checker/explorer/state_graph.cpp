#include "checker/explorer/state_graph.hpp"

#include "checker/budget.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <unordered_map>

namespace critsec::checker {
namespace {

struct FingerprintHash {
    size_t operator()(const Fingerprint& f) const { return f[0] ^ (f[1] * 0x9e3779b97f4a7c15ull); }
};

class GraphBuilder {
public:
    GraphBuilder(const PreparedProgram& prepared, const DrawPolicy& draws, size_t max_states, const Budget* budget, GraphObserver* observer)
        : machine_(prepared, Watch{}, draws, kLoopsUncounted, false, observer && observer->lost_updates),
          max_states_(max_states),
          budget_(budget),
          observer_(observer) {}

    StateGraph build() {
        try {
            for (auto& t : machine_.initial()) arrive(-1, std::move(t));
            while (!queue_.empty() && graph_.complete && !out_of_budget()) {
                expand(queue_.front().first, queue_.front().second);
                queue_.pop_front();
            }
        } catch (const TooManyInputs& e) {
            graph_.complete = false;
            graph_.too_many_inputs = true;
            graph_.incomplete = e.what();
        }
        return std::move(graph_);
    }

private:
    bool out_of_budget() {
        if (!budget_ || !budget_->due()) return false;
        auto depth = [&] {
            size_t d = 0;
            for (int at = queue_.front().first; at >= 0; at = graph_.nodes[at].parent) ++d;
            return d;
        };
        auto why = budget_->check(graph_.nodes.size(), depth, "progress");
        if (!why) return false;
        graph_.complete = false;
        graph_.incomplete = *why;
        return true;
    }

    // The node of the transition's state, new or already found; -1 past the budget.
    int arrive(int parent, Transition t) {
        machine_.canonicalize(t.next);
        auto [it, fresh] = ids_.try_emplace(machine_.fingerprint(t.next), static_cast<int>(graph_.nodes.size()));
        if (!fresh) return it->second;
        if (graph_.nodes.size() >= max_states_) {
            ids_.erase(it);
            graph_.complete = false;
            graph_.incomplete = fmt::format("the state space met no end in {} states", max_states_);
            return -1;
        }
        StateGraph::Node node;
        node.parent = parent;
        node.via = t.move;
        graph_.nodes.push_back(std::move(node));
        if (observer_) observer_->node(it->second, t.next);
        queue_.emplace_back(it->second, std::move(t.next));
        return it->second;
    }

    void expand(int id, const MachineState& s) {
        for (size_t i = 0; i < s.world.processes.size(); ++i) {
            std::vector<Transition> moves = machine_.move(s, i);
            if (moves.empty()) continue;
            graph_.nodes[id].enabled.push_back(s.world.processes[i].instance);
            for (auto& t : moves) {
                if (observer_) observer_->move(id, t);
                Move move = t.move;
                int to = arrive(id, std::move(t));
                if (to < 0) return;
                graph_.nodes[id].out.push_back({to, std::move(move)});
            }
        }
        graph_.nodes[id].expanded = true;
    }

    Machine machine_;
    size_t max_states_;
    const Budget* budget_;
    GraphObserver* observer_;
    StateGraph graph_;
    std::unordered_map<Fingerprint, int, FingerprintHash> ids_;
    std::deque<std::pair<int, MachineState>> queue_;
};

}  // namespace

StateGraph build_state_graph(const PreparedProgram& prepared, const DrawPolicy& draws, size_t max_states, const Budget* budget,
                             GraphObserver* observer) {
    return GraphBuilder(prepared, draws, max_states, budget, observer).build();
}

std::vector<Move> path_to(const StateGraph& graph, int node) {
    std::vector<Move> path;
    for (int at = node; at >= 0; at = graph.nodes[at].parent) path.push_back(graph.nodes[at].via);
    std::reverse(path.begin(), path.end());
    return path;
}

// Iterative, so that a long chain of states (a deep search) cannot overflow the stack.
std::vector<int> strong_components(const StateGraph& graph) {
    const int n = static_cast<int>(graph.nodes.size());
    std::vector<int> index(n, -1), low(n, 0), component(n, -1), stack;
    std::vector<char> on_stack(n, 0);
    std::vector<std::pair<int, size_t>> calls;  // node, next edge to look at
    int next_index = 0, components = 0;
    for (int root = 0; root < n; ++root) {
        if (index[root] >= 0) continue;
        calls.push_back({root, 0});
        while (!calls.empty()) {
            auto& [v, e] = calls.back();
            if (e == 0 && index[v] < 0) {
                index[v] = low[v] = next_index++;
                stack.push_back(v);
                on_stack[v] = 1;
            }
            const auto& out = graph.nodes[v].out;
            if (e < out.size()) {
                int w = out[e++].to;
                if (index[w] < 0) calls.push_back({w, 0});
                else if (on_stack[w]) low[v] = std::min(low[v], index[w]);
                continue;
            }
            if (low[v] == index[v]) {
                int w;
                do {
                    w = stack.back();
                    stack.pop_back();
                    on_stack[w] = 0;
                    component[w] = components;
                } while (w != v);
                ++components;
            }
            int done = v;
            calls.pop_back();
            if (!calls.empty()) low[calls.back().first] = std::min(low[calls.back().first], low[done]);
        }
    }
    return component;
}

}  // namespace critsec::checker
