#include "checker/witness/shortest_witness.hpp"

#include <algorithm>
#include <optional>

#include "checker/explorer/replay.hpp"
#include "checker/witness/involvement.hpp"
#include "checker/witness/violation.hpp"

namespace critsec::checker {
namespace {

// A schedule: the witness's draws and inputs, its steps reduced to who moves.
Witness schedule_of(const Witness& w, const std::vector<int>& instances) {
    Witness out;
    out.inputs = w.inputs;
    out.draws = w.draws;
    out.cycle_from = w.cycle_from;
    for (int instance : instances) {
        TraceStep s{};
        s.instance = instance;
        out.steps.push_back(s);
    }
    return out;
}

std::vector<int> instances_of(const Witness& w) {
    std::vector<int> out;
    for (const auto& s : w.steps) out.push_back(s.instance);
    return out;
}

// Candidate schedules, replayed within the work bound.
class Tries {
public:
    Tries(const PreparedProgram& prepared, const Violation& violation, const Witness& found, size_t max_work)
        : prepared_(prepared), violation_(violation), found_(found), left_(max_work) {}

    // The replay of `instances` when it shows the violation.
    std::optional<Replayed> shows_it(const std::vector<int>& instances) {
        size_t cost = (instances.size() + 1) * std::max<size_t>(1, processes_);
        if (cost > left_) {
            left_ = 0;
            return std::nullopt;
        }
        left_ -= cost;
        Replayed r = replay_witness(prepared_, schedule_of(found_, instances));
        if (!r.worlds.empty()) processes_ = std::max(processes_, r.worlds.back().processes.size());
        if (!shows(prepared_.program, violation_, r)) return std::nullopt;
        return r;
    }
    bool spent() const { return left_ == 0; }

private:
    const PreparedProgram& prepared_;
    const Violation& violation_;
    const Witness& found_;
    size_t left_;
    size_t processes_ = 1;
};

std::vector<int> without(const std::vector<int>& v, int instance) {
    std::vector<int> out;
    for (int i : v)
        if (i != instance) out.push_back(i);
    return out;
}

// Shorter schedules that still show it: cut after the violation, drop whole processes, then single steps.
std::vector<int> shortened(Tries& tries, const model::Program& program, const Violation& v, const Replayed& found) {
    std::vector<int> best = instances_of(found.witness);
    std::vector<int> rows = violation_rows(program, v, found);
    if (v.kind != PropertyKind::Deadlock && !rows.empty()) {
        size_t cut = static_cast<size_t>(*std::max_element(rows.begin(), rows.end())) + 1;
        if (cut < best.size() && tries.shows_it({best.begin(), best.begin() + static_cast<std::ptrdiff_t>(cut)}))
            best.resize(cut);
    }
    std::vector<int> movers;
    for (int i : best)
        if (i != 0 && std::find(movers.begin(), movers.end(), i) == movers.end()) movers.push_back(i);
    for (auto it = movers.rbegin(); it != movers.rend() && !tries.spent(); ++it)
        if (auto candidate = without(best, *it); tries.shows_it(candidate)) best = candidate;
    for (int i = static_cast<int>(best.size()) - 1; i >= 0 && !tries.spent(); --i) {
        std::vector<int> candidate = best;
        candidate.erase(candidate.begin() + i);
        if (tries.shows_it(candidate)) best = std::move(candidate);
    }
    return best;
}

// The rows in an order that takes each involved row as it comes and puts the
// others off until an involved row needs one of them: then all that were put
// off go, in their order, so that they stay together. With `keep_reads`, a
// write needs the loads of its cells before it (they read what they read);
// without, those loads may read a later value: the steps not involved may
// then print other values, and the replay says whether the execution holds.
std::vector<int> involved_first(const Dependencies& deps, const std::vector<bool>& involved, bool keep_reads) {
    std::vector<int> order, deferred;
    std::vector<char> waiting(involved.size(), 0);
    auto waits = [&](const std::vector<int>& rows) { return std::any_of(rows.begin(), rows.end(), [&](int d) { return waiting[d] != 0; }); };
    auto flush = [&] {
        for (int d : deferred) {
            order.push_back(d);
            waiting[d] = 0;
        }
        deferred.clear();
    };
    for (size_t i = 0; i < involved.size(); ++i) {
        int row = static_cast<int>(i);
        if (!involved[i]) {
            deferred.push_back(row);
            waiting[i] = 1;
            continue;
        }
        if (waits(deps.causal[i]) || waits(deps.joined[i]) || (keep_reads && waits(deps.read_before[i]))) flush();
        order.push_back(row);
    }
    flush();
    return order;
}

// The same end: shared state, outcome, failures.
bool same_end(const model::Program& program, const Replayed& a, const Replayed& b) {
    if (a.worlds.empty() || b.worlds.empty() || a.outcome != b.outcome) return false;
    std::vector<std::string> fa = a.failures, fb = b.failures;
    std::sort(fa.begin(), fa.end());
    std::sort(fb.begin(), fb.end());
    return fa == fb && shared_state(program, a.worlds.back()) == shared_state(program, b.worlds.back());
}

Witness marked(Replayed r, const std::vector<bool>& involved) {
    for (size_t i = 0; i < r.witness.steps.size() && i < involved.size(); ++i) r.witness.steps[i].involved = involved[i];
    return std::move(r.witness);
}

}  // namespace

Witness shortest_witness(const PreparedProgram& prepared, const PropertyResult& result, const Witness& found, size_t max_work) {
    const model::Program& program = prepared.program;
    Replayed first = replay_witness(prepared, found);
    std::optional<Violation> v = first.ok ? violation_shown(program, result, first) : std::nullopt;
    if (!v) return std::move(first.witness);
    if (v->kind == PropertyKind::Progress || found.cycle_from >= 0)
        return marked(first, involved_rows(dependencies_of(first), violation_rows(program, *v, first)));

    Tries tries(prepared, *v, found, max_work);
    std::vector<int> best = shortened(tries, program, *v, first);
    Replayed r = replay_witness(prepared, schedule_of(found, best));
    if (!shows(program, *v, r)) r = first;  // cannot happen: every kept candidate showed it
    Dependencies deps = dependencies_of(r);
    std::vector<bool> involved = involved_rows(deps, violation_rows(program, *v, r));
    for (bool keep_reads : {false, true}) {
        std::vector<int> reordered;
        for (int row : involved_first(deps, involved, keep_reads)) reordered.push_back(r.witness.steps[row].instance);
        if (reordered == instances_of(r.witness)) break;
        Replayed moved = replay_witness(prepared, schedule_of(found, reordered));
        if (shows(program, *v, moved) && same_end(program, r, moved))
            return marked(moved, involved_rows(dependencies_of(moved), violation_rows(program, *v, moved)));
    }
    return marked(r, involved);
}

void shorten_counterexamples(const model::Program& program, std::vector<PropertyResult>& results) {
    std::optional<PreparedProgram> prepared;
    for (auto& r : results) {
        if (r.verdict != Verdict::Violated || !r.witness) continue;
        if (!prepared) prepared = prepare(program);
        r.witness = shortest_witness(*prepared, r, *r.witness);
    }
}

}  // namespace critsec::checker
