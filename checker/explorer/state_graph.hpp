#pragma once
// The whole reachable state graph of a spec, every move of every process kept
// (no partial-order reduction) and loops uncounted, so that an execution that
// runs forever is a cycle of it. Questions about infinite executions (progress)
// are asked of this graph; the safety searches keep only fingerprints.
#include <cstddef>
#include <string>
#include <vector>

#include "checker/explorer/machine.hpp"

namespace critsec::checker {

struct StateGraph {
    struct Edge {
        int to;
        Move move;  // move.instance: who moved
    };
    struct Node {
        int parent = -1;  // the node first found to reach it (-1: an initial state)
        Move via;         // the move from `parent`, or main's first local code
        std::vector<Edge> out;
        std::vector<int> enabled;  // instances able to move here
        bool expanded = false;     // every move from it is in `out` (not so at the search's frontier)
    };
    std::vector<Node> nodes;
    bool complete = true;
    bool too_many_inputs = false;
    std::string incomplete;  // why not complete
};

// Sees the graph being built, for a caller that keeps more of it than its
// shape (play_graph.hpp): each new node's state, and each move before it is
// added (in the order of its node's `out`, a move past the budget added never).
class GraphObserver {
public:
    virtual ~GraphObserver() = default;
    virtual void node(int id, const MachineState& state) = 0;
    virtual void move(int from, const Transition& t) = 0;
    bool lost_updates = false;  // follow lost updates (Transition::lost_update); states then keep the loads' stale flags
};

// Breadth-first, at most `max_states` nodes.
StateGraph build_state_graph(const PreparedProgram& prepared, const DrawPolicy& draws, size_t max_states, const Budget* budget = nullptr,
                             GraphObserver* observer = nullptr);

// The moves from an initial state to `node` (its first-found path: a shortest one).
std::vector<Move> path_to(const StateGraph& graph, int node);

// Tarjan's strongly connected components: the component of each node, numbered from 0.
std::vector<int> strong_components(const StateGraph& graph);

}  // namespace critsec::checker
