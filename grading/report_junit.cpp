#include <fmt/format.h>

#include "grading/reports.hpp"

namespace critsec::grading {
namespace {

// Text for an XML attribute or element: the five markup characters escaped,
// and control characters (not allowed in XML 1.0) shown as `\xNN`.
std::string xml(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') out += fmt::format("\\x{:02x}", c);
                else out += static_cast<char>(c);
        }
    }
    return out;
}

std::string testcase(const SubmissionResult& r, const ItemResult& i) {
    std::string out = fmt::format("    <testcase name=\"{}\" classname=\"{}\"", xml(i.name), xml(r.name));
    std::string body;
    if (r.status == SubmissionStatus::Failed)
        body = fmt::format("      <error message=\"{}\" type=\"grader\">{}</error>\n", xml(r.message), xml(feedback_of(i)));
    else if (r.status != SubmissionStatus::Graded || i.points < i.max_points || i.status != ItemStatus::Passed)
        body = fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n", xml(i.found), item_status_name(i.status),
                           xml(feedback_of(i)));
    return body.empty() ? out + "/>\n" : out + ">\n" + body + "    </testcase>\n";
}

}  // namespace

std::string render_junit(const GradeReport& report) {
    size_t tests = 0, failures = 0, errors = 0;
    std::string suites;
    for (const auto& r : report.results) {
        std::string cases;
        size_t f = 0, e = 0;
        for (const auto& i : r.items) {
            std::string c = testcase(r, i);
            e += c.find("<error") != std::string::npos;
            f += c.find("<failure") != std::string::npos;
            cases += c;
        }
        std::string out = r.diagnostics.empty() ? "" : fmt::format("    <system-out>{}</system-out>\n", xml(r.diagnostics));
        suites += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">\n", xml(r.name),
                              r.items.size(), f, e) +
                  fmt::format("    <properties>\n      <property name=\"score\" value=\"{}\"/>\n      <property name=\"max_score\" value=\"{}\"/>\n    </properties>\n",
                              r.score, r.max_score) +
                  cases + out + "  </testsuite>\n";
        tests += r.items.size();
        failures += f;
        errors += e;
    }
    return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
                       xml(report.exercise), tests, failures, errors) +
           suites + "</testsuites>\n";
}

}  // namespace critsec::grading
