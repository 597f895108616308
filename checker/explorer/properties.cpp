#include "checker/explorer/properties.hpp"

#include <fmt/format.h>

#include <random>

#include "checker/explorer/input_taint.hpp"
#include "checker/explorer/replay.hpp"

namespace critsec::checker {

bool is_watch(const Expectation& e) {
    using K = Expectation::Kind;
    return e.kind == K::MaxInside || e.kind == K::ReachInside || e.kind == K::Overlap || e.kind == K::Order || e.kind == K::Prints;
}

std::string watch_key(const Expectation& e) {
    using K = Expectation::Kind;
    switch (e.kind) {
        case K::MaxInside: return fmt::format("max-inside {} {}-{}: {}", e.process, e.first_line, e.last_line, e.count);
        case K::ReachInside: return fmt::format("reach-inside {} {}-{}: {}", e.process, e.first_line, e.last_line, e.count);
        case K::Overlap: return fmt::format("overlap {}: {}", e.process, e.never ? "never" : "sometimes");
        case K::Order: return fmt::format("order {} {} {}: {}", e.first, e.relation, e.second, e.quantifier);
        case K::Prints: return fmt::format("prints {} \"{}\"", e.process, e.text);
        default: return "";
    }
}

namespace {

// `main`, or the template's index; nullopt when the spec has no such process.
std::optional<int> template_named(const model::Program& p, const std::string& name) {
    if (name == "main") return -1;
    for (size_t i = 0; i < p.processes.size(); ++i)
        if (p.processes[i].name == name) return static_cast<int>(i);
    return std::nullopt;
}

// "Task:10" or "main:end" -> (template, line; 0 for end); nullopt when the
// process has no step on that line (the claim would hold vacuously).
std::optional<std::pair<int, int>> event_named(const model::Program& p, const std::string& text) {
    auto colon = text.find(':');
    auto t = template_named(p, text.substr(0, colon));
    if (!t) return std::nullopt;
    std::string where = text.substr(colon + 1);
    if (where == "end") return std::make_pair(*t, 0);
    int line = std::stoi(where);
    const auto& code = *t < 0 ? p.main.code : p.processes[*t].code;
    for (const auto& instr : code)
        if (instr.step > 0 && instr.loc.line == line) return std::make_pair(*t, line);
    return std::nullopt;
}

struct WatchSlot {
    Expectation expectation;
    int index;  // in the Watch's vector of its kind
};

struct Combined {
    std::vector<ExploreReport> reports;
    bool complete = true;  // every exploration finished (sampling aside)
    std::string incomplete;
    bool bound_hit = false;
    std::string loops_note;  // which loop was cut, and why (loop_policy.hpp)

    template <class Get>
    std::optional<Found> first(Get get) const {
        std::optional<Found> best;
        for (const auto& r : reports) {
            std::optional<Found> f = get(r);
            if (f && (!best || f->path.size() < best->path.size())) best = f;
        }
        return best;
    }
};

class Checker {
public:
    Checker(const model::Program& program, const ExplorerSettings& settings)
        : program_(program), settings_(settings), prepared_(prepare(program)), dep_(analyse_inputs(prepared_)) {}

    ExplorerCheck run() {
        build_watch();
        explore_all();
        decide_builtin();
        decide_watches();
        out_.bound_hit = all_.bound_hit;
        return std::move(out_);
    }

    std::optional<ExplorerCheck> run_shallow() {
        build_watch();
        if (!slots_.empty() || settings_.settled.empty() || !lost_update_possible()) return std::nullopt;
        shallow_only_ = true;
        explore_all();
        if (missed_) return std::nullopt;
        decide_builtin();
        return std::move(out_);
    }

private:
    // The small search succeeds only by finding a lost update among the rest: with
    // no store computed from a load, there is none to find, and it would only
    // spend its budget.
    bool lost_update_possible() const {
        return std::any_of(prepared_.facts.begin(), prepared_.facts.end(), [](const TemplateFacts& f) { return f.tracked_loads > 0; });
    }

    void build_watch() {
        for (const auto& e : settings_.watches) {
            using K = Expectation::Kind;
            if (e.kind == K::MaxInside || e.kind == K::ReachInside || e.kind == K::Overlap) {
                auto t = template_named(program_, e.process);
                if (!t) {
                    out_.unknown_watches.push_back(e);
                    continue;
                }
                if (e.kind == K::Overlap) {
                    slots_.push_back({e, static_cast<int>(watch_.overlaps.size())});
                    watch_.overlaps.push_back(*t);
                } else {
                    slots_.push_back({e, static_cast<int>(watch_.regions.size())});
                    watch_.regions.push_back({*t, e.first_line, e.last_line});
                }
            } else if (e.kind == K::Order) {
                auto a = event_named(program_, e.first), b = event_named(program_, e.second);
                if (!a || !b) {
                    out_.unknown_watches.push_back(e);
                    continue;
                }
                // `A before B`: at every B event, every A event has happened; `A after B` is `B before A`.
                auto [first, second] = e.relation == "before" ? std::make_pair(*a, *b) : std::make_pair(*b, *a);
                slots_.push_back({e, static_cast<int>(watch_.orders.size())});
                watch_.orders.push_back({first.first, first.second, second.first, second.second});
            } else if (e.kind == K::Prints) {
                slots_.push_back({e, static_cast<int>(watch_.prints.size())});
                watch_.prints.push_back({e.process, e.text});
            }
        }
    }

    ExploreReport explore_with(DrawPolicy draws, bool depth_first = false, size_t max_states = 0, bool reduce = true) {
        ExploreOptions o;
        o.depth_first = depth_first;
        o.bound = settings_.options.bound;
        o.draws = std::move(draws);
        o.draws.max_branching = settings_.max_input_combinations;
        o.watch = watch_;
        o.max_states = max_states ? max_states : settings_.max_states;
        o.reduce = settings_.reduce && reduce;
        o.complete_lost_update = true;
        o.budget = settings_.options.budget;
        if (slots_.empty()) o.enough = [this](const ExploreReport& r) { return all_violated(r); };
        ++out_.explorations;
        ExploreReport r = explore(prepared_, o);
        out_.states += r.states;
        out_.transitions += r.transitions;
        return r;
    }

    // Every built-in property violated, or settled by another engine: nothing
    // left that a longer search could decide.
    bool all_violated(const ExploreReport& r) const {
        auto settled = [&](const char* key) { return std::count(settings_.settled.begin(), settings_.settled.end(), key) > 0; };
        return r.assert_failures.size() == program_.asserts.size() && r.lost_update && (r.deadlock || settled("deadlock")) &&
               (r.runtime_error || settled("runtime-error"));
    }

    // A breadth-first search that ran out of budget has not looked deep: a
    // depth-first one with a smaller budget hunts for the violations down there.
    void add_with_hunt(ExploreReport r, const DrawPolicy& draws) {
        bool hunt = !r.complete && !r.too_many_inputs && !all_violated(r);
        add(std::move(r));
        if (!hunt) return;
        ExploreReport deep = explore_with(draws, true, std::min<size_t>(settings_.max_states, 100'000));
        deep.complete = true;  // its incompleteness is the first search's; it only adds violations
        deep.bound_hit = false;
        all_.reports.push_back(std::move(deep));
    }

    // The reduction takes main's starts eagerly, so with N children ready a lost
    // update lies O(N^3) states deep in the breadth-first order; without it, one
    // lies 6 moves from the start whatever N is. A violation needs one input
    // vector, not all: the fixed inputs, or the first sample's.
    void explore_shallow() {
        DrawPolicy d;
        if (settings_.options.fixed_inputs) {
            d.main_inputs = settings_.options.fixed_inputs;
            out_.scope = InputScope::Fixed;
            out_.scope_text = fmt::format("inputs fixed: {}", fmt::join(*settings_.options.fixed_inputs, " "));
        } else {
            d = sample(0, std::mt19937_64(kSampleSeed)());
            out_.scope = dep_.any_draws ? InputScope::Sampled : InputScope::None;
            out_.scope_text = dep_.any_draws ? "1 sampled input vector (random): the violations are its" : "no inputs";
            sampled_ = 1;
        }
        ExploreReport r = explore_with(d, false, std::min<size_t>(settings_.max_states, kShallowStates), false);
        if (!all_violated(r)) {
            missed_ = true;
            return;
        }
        add(std::move(r));
    }
    static constexpr size_t kShallowStates = 1'000;
    static constexpr uint64_t kSampleSeed = 20261126;

    // Main's draws of sample input vector k: random ones first (a witness with
    // distinct values reads better than all-low), then all low, all high.
    static DrawPolicy sample(int k, uint64_t seed) {
        DrawPolicy d;
        d.main_choice = [k, seed](int index, int64_t lo, int64_t hi) -> int64_t {
            if (k == 2) return lo;
            if (k == 3) return hi;
            std::mt19937_64 g(seed + static_cast<uint64_t>(index));
            return std::uniform_int_distribution<int64_t>(lo, hi)(g);
        };
        return d;
    }

    void add(ExploreReport r) {
        if (!r.complete && !r.too_many_inputs) {
            all_.complete = false;
            all_.incomplete = r.incomplete;
        }
        if (r.too_many_inputs) {
            all_.complete = false;
            all_.incomplete = "too many randint combinations even with main's inputs fixed: " + r.incomplete;
        }
        all_.bound_hit = all_.bound_hit || r.bound_hit;
        if (all_.loops_note.empty()) all_.loops_note = r.loops_note;
        all_.reports.push_back(std::move(r));
    }

    void explore_all() {
        if (shallow_only_) return explore_shallow();
        if (settings_.options.fixed_inputs) {
            DrawPolicy d;
            d.main_inputs = settings_.options.fixed_inputs;
            add_with_hunt(explore_with(d), d);
            out_.scope = InputScope::Fixed;
            out_.scope_text = fmt::format("inputs fixed: {}", fmt::join(*settings_.options.fixed_inputs, " "));
            return;
        }
        ExploreReport r = explore_with(DrawPolicy{});
        if (!r.too_many_inputs) {
            out_.scope = dep_.any_draws ? InputScope::All : InputScope::None;
            out_.scope_text = dep_.any_draws ? "every randint combination" : "no inputs";
            add_with_hunt(std::move(r), DrawPolicy{});
            return;
        }
        out_.scope = InputScope::Sampled;
        std::mt19937_64 rng(kSampleSeed);
        for (int k = 0; k < settings_.samples && (k == 0 || more_samples_useful()); ++k) {
            DrawPolicy d = sample(k, rng());
            add_with_hunt(explore_with(d), d);
        }
        sampled_ = static_cast<int>(all_.reports.size());
        out_.scope_text = fmt::format("{} sampled input vector{} (random, then low and high), not all inputs: {}", sampled_,
                                      sampled_ == 1 ? "" : "s", r.incomplete);
    }

    // Could another sample input vector change a verdict? Only for a property that
    // is not violated yet and that inputs can change.
    bool more_samples_useful() const {
        if (!all_.complete) return false;
        bool failure_dep = dep_.control || dep_.failures;
        for (size_t a = 0; a < program_.asserts.size(); ++a) {
            bool found = std::any_of(all_.reports.begin(), all_.reports.end(),
                                     [&](const auto& r) { return r.assert_failures.count(static_cast<int>(a)) > 0; });
            if (!found && (failure_dep || (a < dep_.assert_cond.size() && dep_.assert_cond[a]))) return true;
        }
        auto open = [&](std::optional<Found> ExploreReport::*field, bool dep) {
            return dep && !all_.first([&](const ExploreReport& r) { return r.*field; });
        };
        return open(&ExploreReport::lost_update, dep_.control) || open(&ExploreReport::deadlock, dep_.control) ||
               open(&ExploreReport::runtime_error, failure_dep) || (!slots_.empty() && failure_dep);
    }

    // The witness as found; checker/witness/shortest_witness.hpp shortens a counterexample for its reader.
    Witness witness(const Found& f) const { return replay_witness(prepared_, witness_from_moves(f.path)).witness; }

    // The verdict when nothing was violated.
    PropertyResult holds(PropertyKind kind, std::string name, std::string key, bool input_dependent, const std::string& what) const {
        PropertyResult r{kind, std::move(name), Verdict::Proved, "", std::nullopt, std::move(key)};
        if (!all_.complete) {
            r.verdict = Verdict::Unknown;
            r.detail = fmt::format("no violation found, but the search was incomplete: {}", all_.incomplete);
        } else if (out_.scope == InputScope::Sampled && input_dependent) {
            r.verdict = Verdict::Unknown;
            r.detail = fmt::format(
                "{} in every interleaving of {} sampled input vectors, but inputs can change it ({}); "
                "a verdict over all inputs needs every input or the Z3 engine",
                what, sampled_, dep_.why);
        } else if (all_.bound_hit) {
            r.verdict = Verdict::Bounded;
            std::string why = all_.loops_note.empty() ? "the bound was reached" : all_.loops_note;
            r.detail =
                fmt::format("{} within {} iterations of each while loop; {}, so this is not a proof", what, settings_.options.bound, why);
        } else {
            r.detail = fmt::format("{} in every interleaving ({}; {} states)", what,
                                   out_.scope == InputScope::Sampled ? "inputs cannot change it" : out_.scope_text, out_.states);
        }
        return r;
    }

    PropertyResult violated(PropertyKind kind, std::string name, std::string key, const Found& f) const {
        return PropertyResult{kind, std::move(name), Verdict::Violated, f.detail, witness(f), std::move(key)};
    }

    void decide_builtin() {
        bool ordering_dep = dep_.control;
        bool failure_dep = dep_.control || dep_.failures;
        for (size_t a = 0; a < program_.asserts.size(); ++a) {
            int line = program_.asserts[a].loc.line;
            std::string name = fmt::format("assert at line {}", line), key = fmt::format("assert@{}", line);
            auto f = all_.first([&](const ExploreReport& r) -> std::optional<Found> {
                auto it = r.assert_failures.find(static_cast<int>(a));
                return it == r.assert_failures.end() ? std::nullopt : std::optional<Found>(it->second);
            });
            bool cond_dep = a < dep_.assert_cond.size() && dep_.assert_cond[a];
            auto r =
                f ? violated(PropertyKind::Assert, name, key, *f)
                  : holds(PropertyKind::Assert, name, key, failure_dep || cond_dep, fmt::format("`{}` holds", program_.asserts[a].text));
            // Only the sampled-inputs message has the empty "()" to fill in; an
            // incomplete search's message does not.
            if (auto gap = r.detail.find("()"); r.verdict == Verdict::Unknown && cond_dep && !failure_dep && gap != std::string::npos)
                r.detail.replace(gap, 2, "(its condition depends on them)");
            out_.properties.push_back(std::move(r));
        }
        auto decide = [&](PropertyKind kind, const char* name, const char* key, std::optional<Found> ExploreReport::*field, bool dep,
                          const char* what) {
            auto f = all_.first([&](const ExploreReport& r) { return r.*field; });
            out_.properties.push_back(f ? violated(kind, name, key, *f) : holds(kind, name, key, dep, what));
        };
        decide(PropertyKind::LostUpdate, "lost update", "lost-update", &ExploreReport::lost_update, ordering_dep, "no lost update");
        decide(PropertyKind::Deadlock, "deadlock", "deadlock", &ExploreReport::deadlock, ordering_dep, "no deadlock");
        decide(PropertyKind::RuntimeError, "runtime error", "runtime-error", &ExploreReport::runtime_error, failure_dep, "no runtime error");
    }

    void decide_watches() {
        using K = Expectation::Kind;
        bool dep = dep_.control || dep_.failures;
        for (const auto& slot : slots_) {
            const Expectation& e = slot.expectation;
            std::string key = watch_key(e);
            int k = slot.index;
            switch (e.kind) {
                case K::MaxInside: {
                    auto [max, best] = most_inside(k);
                    if (max > e.count) out_.properties.push_back(violated(PropertyKind::MaxInside, key, key, *best));
                    else
                        out_.properties.push_back(
                            holds(PropertyKind::MaxInside, key, key, dep, fmt::format("at most {} inside at once", max)));
                    break;
                }
                case K::ReachInside: {
                    auto [max, best] = most_inside(k);
                    reach(PropertyKind::ReachInside, key, max >= e.count ? best : std::nullopt,
                          fmt::format("{} inside at once is not reachable (at most {})", e.count, max), dep);
                    break;
                }
                case K::Overlap: {
                    auto f = all_.first([&](const ExploreReport& r) { return r.overlap[k]; });
                    if (e.never) {
                        if (f) out_.properties.push_back(violated(PropertyKind::Overlap, key, key, *f));
                        else out_.properties.push_back(holds(PropertyKind::Overlap, key, key, dep, "never two at once"));
                    } else {
                        reach(PropertyKind::Overlap, key, f, "two at once is not reachable", dep);
                    }
                    break;
                }
                case K::Order: {
                    auto broken = all_.first([&](const ExploreReport& r) { return r.orders[k].broken; });
                    auto kept = all_.first([&](const ExploreReport& r) { return r.orders[k].kept; });
                    if (e.quantifier == "always") {
                        if (broken) out_.properties.push_back(violated(PropertyKind::Order, key, key, *broken));
                        else out_.properties.push_back(holds(PropertyKind::Order, key, key, dep, "the order holds"));
                    } else if (e.quantifier == "never") {
                        if (kept) out_.properties.push_back(violated(PropertyKind::Order, key, key, *kept));
                        else out_.properties.push_back(holds(PropertyKind::Order, key, key, dep, "the order never holds"));
                    } else {
                        reach(PropertyKind::Order, key, kept, "no execution has this order", dep);
                    }
                    break;
                }
                case K::Prints: {
                    auto f = all_.first([&](const ExploreReport& r) { return r.prints_missed[k]; });
                    if (f) out_.properties.push_back(violated(PropertyKind::Prints, key, key, *f));
                    else out_.properties.push_back(holds(PropertyKind::Prints, key, key, dep_.any_draws || dep, "always printed"));
                    break;
                }
                default: break;
            }
        }
    }

    // The most processes inside region k over every exploration, and a witness of it.
    std::pair<int, std::optional<Found>> most_inside(int k) const {
        std::pair<int, std::optional<Found>> best{0, std::nullopt};
        for (const auto& r : all_.reports)
            if (r.max_inside[k] > best.first) best = {r.max_inside[k], r.at_max_inside[k]};
        return best;
    }

    // A reachability claim: PROVED with a witness when reached, VIOLATED when the search was complete and never reached it.
    void reach(PropertyKind kind, const std::string& key, const std::optional<Found>& f, const std::string& unreached, bool dep) {
        if (f) {
            PropertyResult r{kind, key, Verdict::Proved, "reachable: see the witness", witness(*f), key};
            out_.properties.push_back(std::move(r));
            return;
        }
        PropertyResult r = holds(kind, key, key, dep, unreached);
        if (r.verdict == Verdict::Proved) {
            r.verdict = Verdict::Violated;
            r.detail = unreached + " (every interleaving explored)";
        } else if (r.verdict == Verdict::Bounded) {
            r.verdict = Verdict::Unknown;
        }
        out_.properties.push_back(std::move(r));
    }

    const model::Program& program_;
    const ExplorerSettings& settings_;
    PreparedProgram prepared_;
    InputDependence dep_;
    Watch watch_;
    std::vector<WatchSlot> slots_;
    Combined all_;
    int sampled_ = 0;
    bool shallow_only_ = false;  // run_shallow: no whole search
    bool missed_ = false;        // run_shallow: the small search left a property open
    ExplorerCheck out_;
};

}  // namespace

ExplorerCheck check_with_explorer(const model::Program& program, const ExplorerSettings& settings) {
    return Checker(program, settings).run();
}

std::optional<ExplorerCheck> find_every_violation(const model::Program& program, const ExplorerSettings& settings) {
    return Checker(program, settings).run_shallow();
}

}  // namespace critsec::checker
