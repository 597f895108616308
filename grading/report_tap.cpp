#include <fmt/format.h>

#include "grading/reports.hpp"

namespace critsec::grading {
namespace {

// A TAP description may not hold a newline, and `#` starts a directive.
std::string one_line(std::string text) {
    for (char& c : text)
        if (c == '\n' || c == '\r' || c == '#') c = ' ';
    return text;
}

// The YAML block under a test point: its message and feedback, as a literal block.
std::string yaml_block(const SubmissionResult& r, const ItemResult& i) {
    std::string out = "  ---\n";
    out += fmt::format("  score: {}\n  max_score: {}\n  status: {}\n", i.points, i.max_points, item_status_name(i.status));
    std::string text = r.status == SubmissionStatus::Graded ? feedback_of(i) : r.message + "\n" + r.diagnostics;
    out += "  feedback: |\n";
    size_t at = 0;
    while (at < text.size()) {
        size_t nl = text.find('\n', at);
        size_t end = nl == std::string::npos ? text.size() : nl;
        out += "    " + text.substr(at, end - at) + "\n";
        at = end + 1;
    }
    return out + "  ...\n";
}

}  // namespace

std::string render_tap(const GradeReport& report) {
    size_t count = 0;
    for (const auto& r : report.results) count += r.items.size();
    std::string out = fmt::format("TAP version 13\n1..{}\n", count);
    size_t n = 0;
    for (const auto& r : report.results) {
        out += fmt::format("# {}: {}/{} ({})\n", one_line(r.name), r.score, r.max_score, one_line(summary_of(r)));
        for (const auto& i : r.items) {
            bool ok = r.status == SubmissionStatus::Graded && i.status == ItemStatus::Passed && i.points == i.max_points;
            out += fmt::format("{} {} - {}: {}\n", ok ? "ok" : "not ok", ++n, one_line(r.name), one_line(i.name));
            if (!ok) out += yaml_block(r, i);
        }
    }
    return out;
}

}  // namespace critsec::grading
