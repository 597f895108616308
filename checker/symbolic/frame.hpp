#pragma once
// Frame reasoning for the inductive engine's consecution queries: of an
// invariant's conjuncts, the few a transition can change, as goals over the
// pre-state. A conjunct that mentions no variable the transition assigns is the
// same term afterwards. One that does is still unchanged when, with the values
// the pre-state is known to have substituted (pc == 3, main at its 5th event,
// the lock held by this process), it simplifies to the same term before and
// after: `holder == 7 -> ...` of another process reads `false -> ...` on both
// sides of a store by process 3. What is left is all a query has to prove, so a
// step of one process out of N costs O(1) goals instead of O(N).
#include <z3++.h>

#include <unordered_map>
#include <utility>
#include <vector>

namespace critsec::checker {

// Variables and the terms that replace them (or the values they are known to have).
using Assignment = std::vector<std::pair<z3::expr, z3::expr>>;

class FrameIndex {
public:
    explicit FrameIndex(const z3::expr_vector& conjuncts);

    // The conjuncts after `assigned` that may differ from before, instantiated at
    // `known` (variable = value pairs that hold in the pre-state); trivially true ones are left out.
    std::vector<z3::expr> touched(const Assignment& assigned, const Assignment& known) const;

private:
    std::vector<z3::expr> conjuncts_;
    std::unordered_map<unsigned, std::vector<unsigned>> by_variable_;  // Z3 id -> conjuncts mentioning it
};

// The uninterpreted constants a term mentions, by Z3 id.
std::vector<unsigned> constants_of(const z3::expr& e);

// `e` with every pair of `a` substituted (first by second).
z3::expr substituted(const z3::expr& e, const Assignment& a);

}  // namespace critsec::checker
