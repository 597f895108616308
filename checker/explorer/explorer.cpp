#include "checker/explorer/explorer.hpp"

#include <fmt/format.h>

#include <deque>
#include <set>
#include <utility>

#include "checker/budget.hpp"
#include "checker/explorer/fingerprint_set.hpp"
#include "checker/explorer/loop_policy.hpp"

namespace critsec::checker {
namespace {

// How each visited state was reached: enough to rebuild a witness path.
struct Link {
    int32_t parent;
    int32_t instance;
    bool marker;
    uint32_t draw_begin;
    uint32_t draw_count;
};

class Search {
public:
    Search(const PreparedProgram& prepared, const ExploreOptions& options)
        : options_(options), machine_(prepared, options.watch, options.draws, options.bound, options.serial) {
        const Watch& w = options.watch;
        report_.max_inside.assign(w.regions.size(), 0);
        report_.at_max_inside.resize(w.regions.size());
        report_.overlap.resize(w.overlaps.size());
        report_.orders.resize(w.orders.size());
        report_.prints_missed.resize(w.prints.size());
    }

    ExploreReport run() {
        try {
            for (auto& t : machine_.initial()) arrive(-1, std::move(t));
            while (!queue_.empty()) {
                if (out_of_budget()) break;
                if (report_.states > options_.max_states) {
                    report_.complete = false;
                    report_.incomplete = fmt::format("stopped after {} states (the --max-states budget)", options_.max_states);
                    break;
                }
                auto [id, state] = options_.depth_first ? std::move(queue_.back()) : std::move(queue_.front());
                if (options_.depth_first) queue_.pop_back();
                else queue_.pop_front();
                expand(id, state);
                if (options_.enough && options_.enough(report_)) {
                    report_.complete = false;
                    report_.incomplete = "stopped once every property left to it was violated";
                    report_.stopped_early = true;
                    break;
                }
            }
        } catch (const TooManyInputs& e) {
            report_.complete = false;
            report_.too_many_inputs = true;
            report_.incomplete = e.what();
        } catch (const std::bad_alloc&) {
            queue_.clear();  // room for the report
            report_.complete = false;
            report_.budget_spent = true;
            report_.incomplete = out_of_memory(options_.budget);
        }
        return std::move(report_);
    }

private:
    bool out_of_budget() {
        if (!options_.budget || !options_.budget->due()) return false;
        int id = options_.depth_first ? queue_.back().first : queue_.front().first;
        auto why = options_.budget->check(
            report_.states, [&] { return depth_of(id); }, "explorer");
        if (!why) return false;
        report_.complete = false;
        report_.budget_spent = true;
        report_.incomplete = *why;
        return true;
    }

    size_t depth_of(int id) const {
        size_t depth = 0;
        for (int at = id; at >= 0; at = links_[at].parent) ++depth;
        return depth;
    }

    std::vector<Move> path_to(int id) const {
        std::vector<Move> path;
        for (int at = id; at >= 0; at = links_[at].parent) {
            const Link& l = links_[at];
            Move m{l.instance, {draws_.begin() + l.draw_begin, draws_.begin() + l.draw_begin + l.draw_count}, l.marker};
            path.push_back(std::move(m));
        }
        std::reverse(path.begin(), path.end());
        return path;
    }

    Found found_via(int parent, const Move& last, std::string detail) const {
        Found f{path_to(parent), std::move(detail)};
        f.path.push_back(last);
        return f;
    }

    void arrive(int parent, Transition t) {
        ++report_.transitions;
        if (t.cut) {
            if (!report_.bound_hit) report_.cut_loop = t.cut_loop;
            report_.bound_hit = true;
            return;
        }
        if (t.lost_update && !report_.lost_update) {
            report_.lost_update = found_via(parent, t.move, t.lost_detail);
            if (options_.complete_lost_update) run_to_end(*report_.lost_update, t.next, t.move.instance);
        }
        if (t.failed_assert >= 0) {
            auto it = report_.assert_failures.find(t.failed_assert);
            if (it == report_.assert_failures.end()) report_.assert_failures[t.failed_assert] = found_via(parent, t.move, t.event.what);
            else if (completed_.erase(assert_key(t.failed_assert))) keep_shorter(it->second, found_via(parent, t.move, t.event.what));
        }
        if (!t.runtime_error.empty() && !report_.runtime_error) report_.runtime_error = found_via(parent, t.move, t.runtime_error);
        else if (!t.runtime_error.empty() && completed_.erase("runtime-error"))
            keep_shorter(*report_.runtime_error, found_via(parent, t.move, t.runtime_error));
        machine_.canonicalize(t.next);
        Fingerprint fp = machine_.fingerprint(t.next);
        if (!seen_.insert(fp)) return;
        int id = static_cast<int>(links_.size());
        links_.push_back(
            {parent, t.move.instance, t.move.marker, static_cast<uint32_t>(draws_.size()), static_cast<uint32_t>(t.move.draws.size())});
        draws_.insert(draws_.end(), t.move.draws.begin(), t.move.draws.end());
        ++report_.states;
        observe(id, t.next);
        queue_.emplace_back(id, std::move(t.next));
    }

    static std::string assert_key(int id) { return "assert " + std::to_string(id); }
    static void keep_shorter(Found& kept, Found other) {
        if (other.path.size() < kept.path.size()) kept = std::move(other);
    }

    // Runs `from` (reached by `found`'s path) to its end, the last mover first,
    // then the next process that can move, taking each move's first draw
    // combination; records what it reaches where the report has nothing yet.
    void run_to_end(const Found& found, MachineState from, int last_mover) {
        std::vector<Move> path = found.path;
        MachineState s = std::move(from);
        FingerprintSet visited;  // uncounted loops: a state met again closes a cycle this run would go round forever
        size_t last = 0;
        for (size_t i = 0; i < s.world.processes.size(); ++i)
            if (std::as_const(s.world.processes)[i].instance == last_mover) last = i;
        try {
            while (path.size() < kMaxRunToEnd) {
                std::optional<Transition> next;
                size_t n = s.world.processes.size();
                // The last mover goes on while it can: each process's steps stay together, as a reader expects.
                for (size_t k = 0; k < n && !next; ++k) {
                    size_t i = (last + k) % n;
                    auto ts = machine_.move(s, i);
                    if (!ts.empty()) {
                        next = std::move(ts.front());
                        last = i;
                    }
                }
                if (!next) {
                    auto stuck = machine_.blocked(s);
                    if (!stuck.empty() && !report_.deadlock) {
                        report_.deadlock = Found{path, fmt::format("{} blocked forever", fmt::join(stuck, ", "))};
                        completed_.insert("deadlock");
                    }
                    return;
                }
                if (next->cut) return;
                path.push_back(next->move);
                if (next->failed_assert >= 0 && !report_.assert_failures.count(next->failed_assert)) {
                    report_.assert_failures[next->failed_assert] = Found{path, next->event.what};
                    completed_.insert(assert_key(next->failed_assert));
                }
                if (!next->runtime_error.empty() && !report_.runtime_error) {
                    report_.runtime_error = Found{path, next->runtime_error};
                    completed_.insert("runtime-error");
                }
                s = std::move(next->next);
                machine_.canonicalize(s);
                if (options_.bound == kLoopsUncounted && !visited.insert(machine_.fingerprint(s))) return;
            }
        } catch (const TooManyInputs&) {
            // A draw with too many values on the way: the run ends here, its findings stand.
        }
    }

    // State predicates of the watches.
    void observe(int id, const MachineState& s) {
        const Watch& w = machine_.watch();
        for (size_t k = 0; k < w.regions.size(); ++k) {
            int n = machine_.inside(s, w.regions[k]);
            if (n > report_.max_inside[k]) {
                report_.max_inside[k] = n;
                report_.at_max_inside[k] = Found{path_to(id), fmt::format("{} inside at once", n)};
            }
        }
        for (size_t k = 0; k < w.overlaps.size(); ++k)
            if (!report_.overlap[k] && machine_.overlapping(s, w.overlaps[k]))
                report_.overlap[k] = Found{path_to(id), "two started and unfinished at once"};
    }

    void expand(int id, const MachineState& s) {
        size_t n = s.world.processes.size();
        std::vector<Transition> moves;
        std::vector<char> done(n, 0);
        bool any_step = false;
        if (options_.reduce && !options_.serial) {
            for (size_t i = 0; i < n; ++i) {
                if (!machine_.step_kind_may_be_private(s, i)) continue;
                auto ts = machine_.move(s, i);
                done[i] = 1;
                bool all_private = !ts.empty() && std::all_of(ts.begin(), ts.end(), [](const Transition& t) { return t.is_private; });
                if (all_private && !closes_cycle(machine_, seen_, options_.bound, ts)) {
                    for (auto& t : ts) arrive(id, std::move(t));
                    return;
                }
                any_step = any_step || !ts.empty();
                for (auto& t : ts) moves.push_back(std::move(t));
            }
        }
        for (size_t i = 0; i < n; ++i) {
            if (done[i]) continue;
            auto ts = machine_.move(s, i);
            any_step = any_step || !ts.empty();
            for (auto& t : ts) moves.push_back(std::move(t));
        }
        if (!any_step) {
            terminal(id, s);
            return;
        }
        if (auto waiting = machine_.waiting_but_for_timeouts(s); !waiting.empty()) deadlock_at(id, waiting, " but for a timeout");
        for (auto& t : moves) arrive(id, std::move(t));
    }

    void deadlock_at(int id, const std::vector<std::string>& stuck, const char* unless) {
        if (report_.deadlock && !completed_.erase("deadlock")) return;
        Found f{path_to(id), fmt::format("{} blocked forever{}", fmt::join(stuck, ", "), unless)};
        if (!report_.deadlock) report_.deadlock = std::move(f);
        else keep_shorter(*report_.deadlock, std::move(f));
    }

    void terminal(int id, const MachineState& s) {
        ++report_.terminal_states;
        auto stuck = machine_.blocked(s);
        if (!stuck.empty()) deadlock_at(id, stuck, "");
        if (!options_.serial || stuck.empty()) {
            std::string text = machine_.outcome_text(s);
            report_.outcomes.insert(std::move(text));
        }
        const Watch& w = machine_.watch();
        for (size_t k = 0; k < w.prints.size(); ++k)
            if (!s.printed[k] && !report_.prints_missed[k])
                report_.prints_missed[k] = Found{path_to(id), fmt::format("{} never printed \"{}\"", w.prints[k].label, w.prints[k].text)};
        for (size_t k = 0; k < w.orders.size(); ++k) {
            auto& slot = s.order_broken[k] ? report_.orders[k].broken : report_.orders[k].kept;
            if (!slot) slot = Found{path_to(id), ""};
        }
    }

    const ExploreOptions& options_;
    Machine machine_;
    ExploreReport report_;
    std::deque<std::pair<int, MachineState>> queue_;
    FingerprintSet seen_;
    std::vector<Link> links_;
    std::vector<DrawValue> draws_;
    std::set<std::string> completed_;                // findings of run_to_end that a shorter path may still replace
    static constexpr size_t kMaxRunToEnd = 100'000;  // moves
};

}  // namespace

ExploreReport explore(const PreparedProgram& prepared, const ExploreOptions& options) {
    return search_loops_exactly(prepared.program, options, [&](const ExploreOptions& o) { return Search(prepared, o).run(); });
}

}  // namespace critsec::checker
