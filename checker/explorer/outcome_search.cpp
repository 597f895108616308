#include "checker/explorer/outcome_search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>

#include "checker/budget.hpp"
#include "checker/explorer/fingerprint_set.hpp"
#include "checker/explorer/loop_policy.hpp"

namespace critsec::checker {
namespace {

class Search {
public:
    Search(const PreparedProgram& prepared, const OutcomeSearchOptions& options)
        : options_(options), machine_(prepared, Watch{}, options.draws, options.bound, false, /*lost_updates=*/false) {}

    OutcomeSearchReport run() {
        try {
            for (auto& t : machine_.initial()) arrive(-1, std::move(t));
            for (; !queue_.empty() && report_.states <= options_.max_states && !out_of_budget(); queue_.pop_front())
                expand(queue_.front().first, queue_.front().second);
            if (!queue_.empty() && !report_.budget_spent)
                give_up(fmt::format("stopped after {} states (the --max-states budget)", options_.max_states));
        } catch (const TooManyInputs& e) {
            give_up(e.what());
            report_.too_many_inputs = true;
        } catch (const std::bad_alloc&) {
            queue_.clear();  // room for the report
            give_up(out_of_memory(options_.budget));
            report_.budget_spent = true;
        }
        // An uncounted search that met no end is thrown away for a bounded one
        // (loop_policy.hpp); its outcomes' paths, one per value of what grows, would be quadratic.
        bool thrown_away = options_.bound == kLoopsUncounted && !report_.complete && !report_.too_many_inputs && !report_.budget_spent;
        if (!thrown_away) witness_outcomes();
        return std::move(report_);
    }

private:
    bool out_of_budget() {
        if (!options_.budget || !options_.budget->due()) return false;
        auto depth = [&] {
            size_t d = 0;
            for (int at = queue_.front().first; at >= 0; at = reached_[at].parent) ++d;
            return d;
        };
        auto why = options_.budget->check(report_.states, depth, "outcomes");
        if (!why) return false;
        give_up(*why);
        report_.budget_spent = true;
        return true;
    }

    void give_up(std::string why) {
        report_.complete = false;
        report_.incomplete = std::move(why);
    }

    // The moves from the initial state: each state keeps the move that first reached it.
    std::vector<Move> path_to(int id) const {
        std::vector<Move> path;
        for (int at = id; at >= 0; at = reached_[at].parent) path.push_back(reached_[at].move);
        std::reverse(path.begin(), path.end());
        return path;
    }

    void arrive(int parent, Transition t) {
        if (t.cut) {
            if (!report_.bound_hit) report_.cut_loop = t.cut_loop;
            report_.bound_hit = true;
            return;
        }
        machine_.canonicalize(t.next);
        if (!seen_.insert(machine_.fingerprint(t.next))) return;
        int id = static_cast<int>(reached_.size());
        reached_.push_back({parent, std::move(t.move)});
        ++report_.states;
        queue_.emplace_back(id, std::move(t.next));
    }

    void expand(int id, const MachineState& s) {
        size_t n = s.world.processes.size();
        std::vector<std::vector<Transition>> moves(n);
        std::vector<char> tried(n, 0);
        if (options_.reduce) {
            // A private step commutes with every other process's steps and no outcome
            // sees it happen: taken alone, it loses no final state.
            for (size_t i = 0; i < n; ++i) {
                if (!machine_.step_kind_may_be_private(s, i)) continue;
                moves[i] = machine_.move(s, i);
                tried[i] = 1;
                const auto& ts = moves[i];
                if (ts.empty() || !std::all_of(ts.begin(), ts.end(), [](const Transition& t) { return t.is_private; })) continue;
                if (closes_cycle(machine_, seen_, options_.bound, moves[i])) continue;
                for (auto& t : moves[i]) arrive(id, std::move(t));
                return;
            }
        }
        bool any_step = false;
        for (size_t i = 0; i < n; ++i) {
            if (!tried[i]) moves[i] = machine_.move(s, i);
            any_step = any_step || !moves[i].empty();
            for (auto& t : moves[i]) arrive(id, std::move(t));
        }
        if (!any_step) {
            std::string text = machine_.outcome_text(s);
            outcome_at_.emplace(std::move(text), id);
        }
    }

    // Each outcome's path is built once the search is over: a spec with many
    // outcomes deep down (a loop that counts) would otherwise hold a path per
    // outcome while it searches. Past kMostWitnessMoves in all, the rest are left out.
    void witness_outcomes() {
        size_t moves = 0;
        for (auto& [text, id] : outcome_at_) {
            std::vector<Move> path = path_to(id);
            moves += path.size();
            if (moves > kMostWitnessMoves) {
                give_up(fmt::format("{} outcomes are too many to list with their witnesses (over {} moves in all)", outcome_at_.size(),
                                    kMostWitnessMoves));
                return;
            }
            report_.outcomes.emplace(text, std::move(path));
        }
    }
    static constexpr size_t kMostWitnessMoves = 20'000'000;

    const OutcomeSearchOptions& options_;
    Machine machine_;
    OutcomeSearchReport report_;
    std::deque<std::pair<int, MachineState>> queue_;
    FingerprintSet seen_;
    struct Reached {
        int parent;
        Move move;
    };
    std::vector<Reached> reached_;
    std::map<std::string, int> outcome_at_;  // final outcome text -> the state first reached with it
};

}  // namespace

OutcomeSearchReport search_outcomes(const PreparedProgram& prepared, const OutcomeSearchOptions& options) {
    return search_loops_exactly(prepared.program, options, [&](const OutcomeSearchOptions& o) { return Search(prepared, o).run(); });
}

}  // namespace critsec::checker
