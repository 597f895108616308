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

// A claim has no time of its own (one check decides them all): its testcase
// says 0 and the submission's testsuite carries the time.
std::string testcase(const SubmissionResult& r, const ItemResult& i) {
    std::string out = fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"0\"", xml(i.name), xml(r.name));
    std::string body;
    if (r.status == SubmissionStatus::Failed)
        body = fmt::format("      <error message=\"{}\" type=\"grader\">{}</error>\n", xml(r.message), xml(feedback_of(i)));
    else if (r.status != SubmissionStatus::Graded || i.points < i.max_points || i.status != ItemStatus::Passed)
        body = fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n", xml(i.found), item_status_name(i.status),
                           xml(feedback_of(i)));
    return body.empty() ? out + "/>\n" : out + ">\n" + body + "    </testcase>\n";
}

}  // namespace

// The Ant schema allows no attributes on <testsuites>: the exercise is each
// testsuite's package, and every testsuite has its properties, system-out and
// system-err, even empty.
std::string render_junit(const GradeReport& report) {
    std::string suites;
    for (size_t n = 0; n < report.results.size(); ++n) {
        const SubmissionResult& r = report.results[n];
        std::string cases;
        size_t f = 0, e = 0;
        for (const auto& i : r.items) {
            std::string c = testcase(r, i);
            e += c.find("<error") != std::string::npos;
            f += c.find("<failure") != std::string::npos;
            cases += c;
        }
        suites += fmt::format("  <testsuite name=\"{}\" package=\"{}\" id=\"{}\" timestamp=\"{}\" hostname=\"{}\" tests=\"{}\" "
                              "failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n",
                              xml(r.name), xml(report.exercise), n, xml(report.finished_at), xml(report.hostname), r.items.size(), f,
                              e, r.seconds) +
                  fmt::format("    <properties>\n      <property name=\"score\" value=\"{}\"/>\n      <property name=\"max_score\" value=\"{}\"/>\n    </properties>\n",
                              r.score, r.max_score) +
                  cases + fmt::format("    <system-out>{}</system-out>\n    <system-err/>\n", xml(r.diagnostics)) + "  </testsuite>\n";
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n" + suites + "</testsuites>\n";
}

}  // namespace critsec::grading
