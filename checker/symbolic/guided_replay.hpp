#pragma once
// Explorer moves that take the children's shared steps (their loads, stores,
// acquires and releases: the steps of transition_system.hpp) in a given order,
// with main, and every other step of a child (prints, sleeps), taken as early
// as it can be. The compiled outcome search (compiled_search.hpp) turns its
// final states into witnesses and outcome texts this way: on the machine whose
// steps define what they mean, not on its own compiled copy of them.
#include <optional>
#include <vector>

#include "checker/explorer/machine.hpp"

namespace critsec::checker {

struct GuidedRun {
    std::vector<Move> path;  // from main's first local code on
    MachineState last;       // once nobody can move
};

// `instances`: whose shared step comes next, in order. nullopt when the order
// does not fit the spec: a process cannot take its step when its turn comes, a
// move is cut by the loop bound or draws more than one way, or a process has
// not finished once the order is used up.
std::optional<GuidedRun> follow_shared_step_order(const Machine& machine, const std::vector<int>& instances);

}  // namespace critsec::checker
