#include "grading/grade_submission.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "checker/budget.hpp"
#include "checker/claims.hpp"
#include "checker/input_errors.hpp"
#include "checker/witness/trace_render.hpp"
#include "grading/forbidden_constructs.hpp"
#include "model/frontend.hpp"

namespace critsec::grading {
namespace {

using Clock = std::chrono::steady_clock;

ItemStatus status_of(checker::ClaimStatus s) {
    switch (s) {
        case checker::ClaimStatus::Confirmed: return ItemStatus::Passed;
        case checker::ClaimStatus::Refuted: return ItemStatus::Failed;
        case checker::ClaimStatus::Undecided: return ItemStatus::Unknown;
    }
    return ItemStatus::Unknown;
}

// The reports show a chart indented under its claim (21 columns): drawn that
// much narrower, a report's lines fit 100 columns as `check`'s do.
constexpr size_t kChartWidth = 100 - 21;

// The counterexample behind a refuted verdict claim, drawn as `critsec check` draws it.
std::string chart_for(const model::Program& program, const checker::SpecCheck& check, const Expectation& claim) {
    if (claim.kind != Expectation::Kind::Verdict) return "";
    for (const auto& r : check.properties) {
        bool wanted = claim.property == "assert" ? r.kind == checker::PropertyKind::Assert : r.key == claim.property;
        if (!wanted || !r.witness || r.verdict != checker::Verdict::Violated) continue;
        return fmt::format("counterexample: {}\n{}", r.name, checker::chart_of(program, *r.witness, chart::Layout{.width = kChartWidth}));
    }
    return "";
}

// What the submission says of itself: its `# expect:` lines, as written.
std::vector<std::string> own_claims(const SourceFile& source) {
    std::vector<std::string> out;
    for (const auto& e : parse_expectations(source).expectations) {
        std::string line(source.line(e.loc.line));
        line.erase(0, line.find_first_not_of(" \t"));
        out.push_back(line);
    }
    return out;
}

// At least `count` distinct outcomes: decided on the outcomes the claims enumerated, or enumerated here.
ItemResult min_outcomes(const model::Program& program, const GradingFile& grading, const checker::SpecVerdicts& v, long count,
                        const checker::Budget& budget, const GradeLimits& limits) {
    ItemResult item;
    checker::OutcomeReport report;
    if (v.outcomes) report = *v.outcomes;
    else {
        checker::OutcomeSettings os;
        os.options.budget = &budget;
        os.max_states = limits.max_states;
        if (grading.fixed_inputs) os.options.fixed_inputs = std::vector<int64_t>(grading.fixed_inputs->begin(), grading.fixed_inputs->end());
        report = checker::enumerate_outcomes(program, os);
    }
    long found = static_cast<long>(report.outcomes.size());
    item.status = found >= count ? ItemStatus::Passed : report.complete ? ItemStatus::Failed : ItemStatus::Unknown;
    item.found = fmt::format("{} distinct final outcome{}{}", found, found == 1 ? "" : "s",
                             report.complete ? "" : " (not all enumerated: " + report.incomplete + ")");
    return item;
}

// The requirements, then the claims, from the checker's judgement; a failed requirement takes every point.
void score(SubmissionResult& out, const model::Program& program, const GradingFile& grading, const checker::SpecVerdicts& v,
           const checker::Budget& budget, const GradeLimits& limits) {
    size_t next_claim = 0;  // v.claims holds the requirements' claims first, then the graded claims
    std::string unmet;
    for (const auto& r : grading.requirements) {
        ItemResult item;
        if (std::holds_alternative<Expectation>(r.what)) {
            const auto& c = v.claims.at(next_claim++);
            item.status = status_of(c.status);
            item.found = c.found;
            item.chart = chart_for(program, v.check, c.claim);
        } else if (const auto* m = std::get_if<MinOutcomes>(&r.what)) {
            item = min_outcomes(program, grading, v, m->count, budget, limits);
        } else {
            auto where = find_construct(program, std::get<Construct>(r.what));
            item.status = where ? ItemStatus::Failed : ItemStatus::Passed;
            item.found = where ? *where : "not used";
        }
        item.name = std::holds_alternative<Construct>(r.what) ? r.text : "require: " + r.text;
        item.requirement = true;
        if (item.status != ItemStatus::Passed) {
            item.hint = r.hint;
            if (unmet.empty()) unmet = fmt::format("`{}` is {}", item.name, item.status == ItemStatus::Failed ? "not met" : "undecided");
        }
        out.items.push_back(std::move(item));
    }
    for (const auto& g : grading.claims) {
        const auto& c = v.claims.at(next_claim++);
        ItemResult item{g.text, false, 0, g.points, status_of(c.status), c.found, "", ""};
        if (item.status == ItemStatus::Passed && unmet.empty()) item.points = g.points;
        else if (item.status == ItemStatus::Passed) item.found = fmt::format("holds, but earns nothing: {}", unmet);
        else {
            item.hint = g.hint;
            item.chart = chart_for(program, v.check, c.claim);
        }
        out.score += item.points;
        out.items.push_back(std::move(item));
    }
    if (!unmet.empty()) out.message = fmt::format("requirement {}: no claim earns points", unmet);
}

}  // namespace

SubmissionResult ungraded(const GradingFile& grading, const Submission& submission, SubmissionStatus status, const std::string& message) {
    SubmissionResult out;
    out.name = submission.name;
    out.path = submission.path;
    out.status = status;
    out.max_score = grading.max_score();
    out.message = message;
    for (const auto& g : grading.claims) out.items.push_back({g.text, false, 0, g.points, ItemStatus::Unknown, message, "", ""});
    return out;
}

SubmissionResult grade_submission(const GradingFile& grading, const Submission& submission, const GradeLimits& limits) {
    auto t0 = Clock::now();
    auto finish = [&](SubmissionResult r) {
        r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        return r;
    };
    Compiled c = compile_file(submission.path);
    if (!c.program) {
        SubmissionResult r = ungraded(grading, submission, SubmissionStatus::SpecErrors, "the submission has errors: not graded");
        bool unreadable = !c.diagnostics.empty() && c.diagnostics.front().loc.line == 0;
        r.diagnostics = unreadable ? fmt::format("{}: cannot read: {}\n", submission.path, c.diagnostics.front().message)
                                   : render_all(c.source, c.diagnostics);
        return finish(std::move(r));
    }
    SpecExpectations ex;
    for (const auto& r : grading.requirements)
        if (const auto* e = std::get_if<Expectation>(&r.what)) ex.expectations.push_back(*e);
    for (const auto& g : grading.claims) ex.expectations.push_back(g.claim);
    ex.fixed_inputs = grading.fixed_inputs;
    checker::Budget budget(limits.seconds, limits.max_memory_mb, false);
    SubmissionResult out;
    try {
        checker::SpecVerdicts v = checker::judge_claims(*c.program, ex, checker::Engine::Auto, &budget, limits.max_states);
        out.name = submission.name;
        out.path = submission.path;
        out.max_score = grading.max_score();
        score(out, *c.program, grading, v, budget, limits);
    } catch (const checker::InputOutOfRange& e) {
        out = ungraded(grading, submission, SubmissionStatus::SpecErrors,
                       fmt::format("the exercise's fixed inputs do not fit this submission's randint at line {}: {}", e.line, e.what()));
    } catch (const checker::TooManyInputs& e) {
        out = ungraded(grading, submission, SubmissionStatus::OutOfBudget, fmt::format("UNKNOWN: {}: no credit", e.what()));
    } catch (const std::bad_alloc&) {
        out = ungraded(grading, submission, SubmissionStatus::OutOfBudget, "UNKNOWN: " + budget.out_of_memory() + ": no credit");
    }
    bool open = std::any_of(out.items.begin(), out.items.end(), [](const ItemResult& i) { return i.status == ItemStatus::Unknown; });
    if (auto spent = budget.spent_now(); spent && open && out.status == SubmissionStatus::Graded) {
        // Whatever was decided before the budget ran out, a submission that needs more than it earns nothing.
        out = ungraded(grading, submission, SubmissionStatus::OutOfBudget, "UNKNOWN: " + *spent + ": no credit");
    }
    out.own_claims = own_claims(c.source);
    return finish(std::move(out));
}

}  // namespace critsec::grading
