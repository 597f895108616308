#include "checker/claims.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace critsec::checker {
namespace {

bool has_line(const std::string& text, const std::string& line) {
    std::istringstream in(text);
    std::string l;
    while (std::getline(in, l))
        if (l == line) return true;
    return false;
}

std::string stated_text(const Expectation& e) {
    using K = Expectation::Kind;
    switch (e.kind) {
        case K::Verdict: return e.property + ": " + e.verdict;
        case K::OutcomeCount: return fmt::format("outcomes: {}", e.count);
        case K::Outcome: return "outcome: " + e.text;
        case K::NoOutcome: return "no-outcome: " + e.text;
        default: return watch_key(e);
    }
}

// Every assert together: VIOLATED if one is, PROVED if all are, otherwise the weakest.
Verdict all_asserts(const std::vector<PropertyResult>& properties, std::string& detail) {
    Verdict all = Verdict::Proved;
    for (const auto& r : properties) {
        if (r.kind != PropertyKind::Assert) continue;
        if (r.verdict == Verdict::Violated) all = Verdict::Violated;
        else if (r.verdict != Verdict::Proved && all != Verdict::Violated) all = r.verdict;
        detail += (detail.empty() ? "" : "; ") + r.name + ": " + r.detail;
    }
    return all;
}

bool has_assert(const std::vector<PropertyResult>& properties) {
    return std::any_of(properties.begin(), properties.end(), [](const PropertyResult& r) { return r.kind == PropertyKind::Assert; });
}

// UNKNOWN never refutes a PROVED or BOUNDED claim: it only leaves it open. A
// VIOLATED claim the checker did not find is refuted, since a found violation
// is replayed and would have been reported.
ClaimStatus judge_verdict(const std::string& stated, Verdict got) {
    if (verdict_name(got) == stated) return ClaimStatus::Confirmed;
    if (got == Verdict::Unknown && stated != "VIOLATED") return ClaimStatus::Undecided;
    return ClaimStatus::Refuted;
}

}  // namespace

const char* claim_status_name(ClaimStatus status) {
    switch (status) {
        case ClaimStatus::Confirmed: return "confirmed";
        case ClaimStatus::Refuted: return "refuted";
        case ClaimStatus::Undecided: return "undecided";
    }
    return "?";
}

SpecVerdicts judge_claims(const model::Program& program, const SpecExpectations& expectations, Engine engine, const Budget* budget,
                          std::optional<size_t> max_states) {
    ExplorerSettings settings;
    settings.options.budget = budget;
    if (max_states) settings.max_states = *max_states;
    for (const auto& e : expectations.expectations)
        if (is_watch(e)) settings.watches.push_back(e);
    return judge_claims_against(program, expectations, check_spec(program, settings, engine), budget, max_states);
}

SpecVerdicts judge_claims_against(const model::Program& program, const SpecExpectations& expectations, SpecCheck check,
                                  const Budget* budget, std::optional<size_t> max_states) {
    SpecVerdicts out;
    out.check = std::move(check);
    auto by_key = [&](const std::string& key) -> const PropertyResult* {
        for (const auto& r : out.check.properties)
            if (r.key == key) return &r;
        return nullptr;
    };
    using K = Expectation::Kind;
    for (const auto& e : expectations.expectations) {
        ClaimResult c{e, ClaimStatus::Undecided, stated_text(e), ""};
        if (e.kind == K::Verdict && e.property == "assert" && !has_assert(out.check.properties)) {
            // Nothing to prove: a claim about the asserts of a spec that has none is never confirmed.
            c.found = "no assert: the spec has none";
            c.status = ClaimStatus::Refuted;
        } else if (e.kind == K::Verdict && e.property == "assert") {
            std::string detail;
            Verdict v = all_asserts(out.check.properties, detail);
            c.found = std::string(verdict_name(v)) + (detail.empty() ? "" : " (" + detail + ")");
            c.status = judge_verdict(e.verdict, v);
        } else if (e.kind == K::Verdict || is_watch(e)) {
            std::string key = e.kind == K::Verdict ? e.property : watch_key(e);
            if (const PropertyResult* r = by_key(key)) {
                c.found = std::string(verdict_name(r->verdict)) + ": " + r->detail;
                c.status = judge_verdict(e.kind == K::Verdict ? e.verdict : "PROVED", r->verdict);
            } else if (key == "progress") {
                c.found = "PROVED: the spec has no while loop, so every execution ends (or deadlocks)";
                c.status = judge_verdict(e.verdict, Verdict::Proved);
            } else {
                c.found = "no property " + key + " (a process, or a line with no step, that the spec lacks)";
                c.status = ClaimStatus::Refuted;
            }
        } else {
            if (!out.outcomes) {
                OutcomeSettings os;
                os.options.budget = budget;
                if (max_states) os.max_states = *max_states;
                if (expectations.fixed_inputs)
                    os.options.fixed_inputs = std::vector<int64_t>(expectations.fixed_inputs->begin(), expectations.fixed_inputs->end());
                out.outcomes = enumerate_outcomes(program, os);
            }
            const OutcomeReport& o = *out.outcomes;
            auto has_it = [&](const Outcome& x) { return has_line(x.text, e.text); };
            if (!o.complete && e.kind == K::Outcome && std::any_of(o.outcomes.begin(), o.outcomes.end(), has_it)) {
                // Reaching it is proof enough, whatever is left unexplored.
                c.found = fmt::format("reachable (among the first {} outcomes; not all enumerated: {})", o.outcomes.size(), o.incomplete);
                c.status = ClaimStatus::Confirmed;
            } else if (!o.complete) {
                c.found = "outcomes not enumerated: " + o.incomplete;
                c.status = ClaimStatus::Undecided;
            } else if (e.kind == K::OutcomeCount) {
                c.found = fmt::format("{} outcomes", o.outcomes.size());
                c.status = static_cast<long>(o.outcomes.size()) == e.count ? ClaimStatus::Confirmed : ClaimStatus::Refuted;
            } else {
                bool some = std::any_of(o.outcomes.begin(), o.outcomes.end(), [&](const Outcome& x) { return has_line(x.text, e.text); });
                c.found = some ? "reachable" : "not reachable";
                c.status = (e.kind == K::Outcome) == some ? ClaimStatus::Confirmed : ClaimStatus::Refuted;
            }
        }
        ++(c.status == ClaimStatus::Confirmed ? out.confirmed : c.status == ClaimStatus::Refuted ? out.refuted : out.undecided);
        out.claims.push_back(std::move(c));
    }
    return out;
}

}  // namespace critsec::checker
