#include <fmt/format.h>

#include <algorithm>

#include "chart/text_fit.hpp"
#include "grading/reports.hpp"

namespace critsec::grading {
namespace {

// The report's width: the charts under the claims are drawn to fit it
// (grade_submission.cpp), and the prose around them is wrapped to it.
constexpr size_t kReportWidth = 100;
constexpr size_t kFeedbackIndent = 21;  // under an item's name

std::string indented(const std::string& text, const std::string& prefix) {
    std::string out;
    size_t at = 0;
    while (at < text.size()) {
        size_t nl = text.find('\n', at);
        size_t end = nl == std::string::npos ? text.size() : nl + 1;
        out += prefix + text.substr(at, end - at);
        at = end;
    }
    if (!out.empty() && out.back() != '\n') out += '\n';
    return out;
}

// What the checker found and the hint wrapped under the item; the chart, drawn
// to fit already, indented as it is.
std::string item_line(const ItemResult& i) {
    std::string mark = i.status == ItemStatus::Passed ? "ok" : i.status == ItemStatus::Failed ? "FAILED" : "UNKNOWN";
    std::string points = i.requirement ? "required" : fmt::format("{}/{}", i.points, i.max_points);
    std::string out = fmt::format("  {:<8} {:<9} ", mark, points) + chart::wrapped(i.name, kReportWidth, kFeedbackIndent, kFeedbackIndent);
    std::string margin(kFeedbackIndent, ' ');
    auto prose = [&](const std::string& text) {
        for (size_t at = 0; at <= text.size();) {
            size_t nl = std::min(text.find('\n', at), text.size());
            if (nl > at) out += margin + chart::wrapped(text.substr(at, nl - at), kReportWidth, kFeedbackIndent, kFeedbackIndent);
            at = nl + 1;
        }
    };
    if (!i.found.empty()) prose(i.found);
    if (!i.hint.empty()) prose("hint: " + i.hint);
    if (!i.chart.empty()) out += indented(i.chart, margin);
    return out;
}

std::string feedback_section(const SubmissionResult& r) {
    std::string out = "\n" + chart::wrapped(fmt::format("== {}: {}/{} ({})", r.name, r.score, r.max_score, summary_of(r)), kReportWidth, 0, 3);
    if (!r.diagnostics.empty()) out += indented(r.diagnostics, "  ");
    else if (r.status != SubmissionStatus::Graded) out += "  " + r.message + "\n";
    if (r.status == SubmissionStatus::Graded)
        for (const auto& i : r.items) out += item_line(i);
    if (!r.own_claims.empty()) {
        out += "  the submission's own claims (shown, not graded):\n";
        for (const auto& c : r.own_claims) out += "    " + c + "\n";
    }
    return out;
}

}  // namespace

std::string summary_of(const SubmissionResult& r) {
    switch (r.status) {
        case SubmissionStatus::SpecErrors: return r.diagnostics.empty() ? r.message : "errors in the spec: not graded";
        case SubmissionStatus::OutOfBudget:
        case SubmissionStatus::Failed: return r.message;
        case SubmissionStatus::Graded: break;
    }
    if (!r.message.empty()) return r.message;
    size_t claims = 0, missed = 0;
    for (const auto& i : r.items) {
        if (i.requirement) continue;
        ++claims;
        missed += i.points < i.max_points || i.status != ItemStatus::Passed;
    }
    return missed == 0 ? "full marks" : fmt::format("{} of {} claims not met", missed, claims);
}

std::string feedback_of(const ItemResult& item) {
    std::string out = item.found.empty() ? "" : item.found + "\n";
    if (!item.hint.empty()) out += "hint: " + item.hint + "\n";
    if (!item.chart.empty()) out += item.chart;
    return out;
}

std::string render_table(const GradeReport& report, bool verbose) {
    int max_score = report.results.empty() ? 0 : report.results.front().max_score;
    std::string out = chart::wrapped(fmt::format("critsec grade {}{}: {} submission{}, {} points each", report.exercise,
                                                 report.title.empty() ? "" : " (" + report.title + ")", report.results.size(),
                                                 report.results.size() == 1 ? "" : "s", max_score),
                                     kReportWidth, 0, 2) +
                      "\n";
    size_t width = 10;
    for (const auto& r : report.results) width = std::max(width, r.name.size());
    out += fmt::format("{:<{}}  {:>7}  {}\n", "submission", width, "score", "result");
    size_t full = 0, ungraded = 0;
    long total = 0;
    for (const auto& r : report.results) {
        std::string row = fmt::format("{:<{}}  {:>7}  ", r.name, width, fmt::format("{}/{}", r.score, r.max_score));
        size_t result_column = chart::display_width(row);
        // A long result wraps under its column, unless the names leave it no room.
        out += row + (result_column + 30 <= kReportWidth ? chart::wrapped(summary_of(r), kReportWidth, result_column, result_column)
                                                         : summary_of(r) + "\n");
        full += r.full_marks();
        ungraded += r.status != SubmissionStatus::Graded;
        total += r.score;
    }
    double mean = report.results.empty() ? 0.0 : static_cast<double>(total) / static_cast<double>(report.results.size());
    out += "\n" + chart::wrapped(fmt::format("{} submissions: {} with full marks, {} without; {} not graded (errors, out of budget or a grader "
                                             "failure); mean {:.1f}/{}",
                                             report.results.size(), full, report.results.size() - full, ungraded, mean, max_score),
                                 kReportWidth, 0, 2);
    for (const auto& r : report.results)
        if (verbose || !r.full_marks()) out += feedback_section(r);
    return out;
}

}  // namespace critsec::grading
