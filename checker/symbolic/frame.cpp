#include "checker/symbolic/frame.hpp"

#include <algorithm>
#include <unordered_set>

namespace critsec::checker {

std::vector<unsigned> constants_of(const z3::expr& e) {
    std::vector<unsigned> out;
    std::unordered_set<unsigned> seen;
    std::vector<z3::expr> todo{e};
    while (!todo.empty()) {
        z3::expr t = todo.back();
        todo.pop_back();
        if (!seen.insert(t.id()).second) continue;
        if (t.is_const() && !t.is_numeral() && !t.is_true() && !t.is_false()) out.push_back(t.id());
        if (t.is_app())
            for (unsigned i = 0; i < t.num_args(); ++i) todo.push_back(t.arg(i));
    }
    return out;
}

z3::expr substituted(const z3::expr& e, const Assignment& a) {
    if (a.empty()) return e;
    z3::expr_vector from(e.ctx()), to(e.ctx());
    for (const auto& [f, t] : a) {
        from.push_back(f);
        to.push_back(t);
    }
    return z3::expr(e).substitute(from, to);
}

FrameIndex::FrameIndex(const z3::expr_vector& conjuncts) {
    for (unsigned c = 0; c < conjuncts.size(); ++c) {
        conjuncts_.push_back(conjuncts[c]);
        for (unsigned v : constants_of(conjuncts[c])) by_variable_[v].push_back(c);
    }
}

std::vector<z3::expr> FrameIndex::touched(const Assignment& assigned, const Assignment& known) const {
    std::vector<unsigned> candidates;
    for (const auto& [var, _] : assigned) {
        auto it = by_variable_.find(var.id());
        if (it != by_variable_.end()) candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::vector<z3::expr> goals;
    for (unsigned c : candidates) {
        const z3::expr& before = conjuncts_[c];
        // The after-term is over the pre-state's variables, so the pre-state's known values apply to it too.
        z3::expr after = substituted(substituted(before, assigned), known).simplify();
        if (after.is_true() || z3::eq(after, substituted(before, known).simplify())) continue;
        goals.push_back(after);
    }
    return goals;
}

}  // namespace critsec::checker
