#include "model/expectations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <regex>
#include <sstream>
#include <variant>

namespace critsec {
namespace {

std::string trim(std::string s) {
    size_t a = s.find_first_not_of(" \t\r");
    size_t b = s.find_last_not_of(" \t\r");
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// A number of an `# expect:` line (a count or a line), or nothing when it does not
// fit in `max`: the regexes accept any run of digits, and a student's 80-digit
// count is a typo to report, not a reason to stop.
std::optional<long> bounded_number(const std::string& digits, long max) {
    long value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size() || value > max) return std::nullopt;
    return value;
}

// The largest count a claim may state: far above any spec's outcomes or processes.
constexpr long kMaxClaimedCount = 1'000'000'000;

Diagnostic count_too_large(const std::string& line, size_t hash, Loc loc, const std::string& digits) {
    return {Severity::Error, loc, static_cast<int>(line.size() - hash), fmt::format("count `{}` in an expectation is too large", digits),
            fmt::format("a claimed count is at most {}", kMaxClaimedCount)};
}

// Lines are held to what a line number can be, not to the spec's length: a claim
// about a line past the end is answered by the checker ("no such step").
constexpr long kMaxLine = std::numeric_limits<int>::max();

Diagnostic line_too_large(const std::string& line, size_t hash, Loc loc, const std::string& digits) {
    return {Severity::Error, loc, static_cast<int>(line.size() - hash), fmt::format("line `{}` in an expectation is too large", digits),
            "a line number is at most 2147483647"};
}

// The line part of `Task:10` (or `end`) in an `order` claim.
std::optional<long> order_line(const std::string& step, long max) {
    std::string line = step.substr(step.find(':') + 1);
    return line == "end" ? std::optional<long>(0) : bounded_number(line, max);
}

// `# fixed-inputs: 3 4 1 2`: main's randint draws, or nothing when a word is not an integer.
std::optional<std::vector<long long>> parse_fixed_inputs(const std::string& list) {
    std::istringstream in(list);
    std::vector<long long> values;
    for (std::string word; in >> word;) {
        long long value = 0;
        auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
        if (error != std::errc() || end != word.data() + word.size()) return std::nullopt;
        values.push_back(value);
    }
    if (values.empty()) return std::nullopt;
    return values;
}

// The claim of one `# expect:` line (its text `e`), or the diagnostic that rejects it.
std::variant<Expectation, Diagnostic> parse_claim(const std::string& e, const std::string& line, size_t hash, Loc loc) {
    static const std::regex verdict_re(
        R"(^(assert|assert@\d+|lost-update|deadlock|runtime-error|progress):\s*(PROVED|VIOLATED|BOUNDED|UNKNOWN)$)");
    static const std::regex count_re(R"(^outcomes:\s*(\d+)$)");
    static const std::regex outcome_re(R"(^(outcome|no-outcome):\s*(.+)$)");
    static const std::regex prints_re(R"re(^prints:\s*(\S+)\s+"(.*)"$)re");
    static const std::regex inside_re(R"(^(max-inside|reach-inside)\s+(\w+)\s+(\d+)-(\d+):\s*(\d+)$)");
    static const std::regex overlap_re(R"(^overlap\s+(\w+):\s*(never|sometimes)$)");
    static const std::regex order_re(R"(^order\s+(\w+:(?:\d+|end))\s+(before|after)\s+(\w+:(?:\d+|end)):\s*(always|sometimes|never)$)");
    std::smatch m;
    Expectation x{};
    x.loc = loc;
    if (std::regex_match(e, m, verdict_re)) {
        x.kind = Expectation::Kind::Verdict;
        x.property = m[1];
        x.verdict = m[2];
    } else if (std::regex_match(e, m, count_re)) {
        x.kind = Expectation::Kind::OutcomeCount;
        auto count = bounded_number(m[1], kMaxClaimedCount);
        if (!count) return count_too_large(line, hash, loc, m[1]);
        x.count = *count;
    } else if (std::regex_match(e, m, outcome_re)) {
        x.kind = m[1] == "outcome" ? Expectation::Kind::Outcome : Expectation::Kind::NoOutcome;
        x.text = trim(m[2]);
    } else if (std::regex_match(e, m, prints_re)) {
        x.kind = Expectation::Kind::Prints;
        x.process = m[1];
        x.text = m[2];
    } else if (std::regex_match(e, m, inside_re)) {
        x.kind = m[1] == "max-inside" ? Expectation::Kind::MaxInside : Expectation::Kind::ReachInside;
        x.process = m[2];
        auto first = bounded_number(m[3], kMaxLine), last = bounded_number(m[4], kMaxLine);
        auto count = bounded_number(m[5], kMaxClaimedCount);
        if (!first || !last) return line_too_large(line, hash, loc, !first ? m[3] : m[4]);
        if (!count) return count_too_large(line, hash, loc, m[5]);
        x.first_line = static_cast<int>(*first);
        x.last_line = static_cast<int>(*last);
        x.count = *count;
    } else if (std::regex_match(e, m, overlap_re)) {
        x.kind = Expectation::Kind::Overlap;
        x.process = m[1];
        x.never = m[2] == "never";
    } else if (std::regex_match(e, m, order_re)) {
        x.kind = Expectation::Kind::Order;
        auto past_the_end = [&](const std::string& step) { return !order_line(step, kMaxLine); };
        if (past_the_end(m[1]) || past_the_end(m[3])) {
            std::string step = past_the_end(m[1]) ? m[1].str() : m[3].str();
            return line_too_large(line, hash, loc, step.substr(step.find(':') + 1));
        }
        x.first = m[1];
        x.relation = m[2];
        x.second = m[3];
        x.quantifier = m[4];
    } else {
        return Diagnostic{Severity::Error, loc, static_cast<int>(line.size() - hash), fmt::format("malformed expectation `{}`", e),
                          "see the forms in docs/language.md#expectations, e.g. `# expect: lost-update: VIOLATED`"};
    }
    return x;
}

}  // namespace

std::variant<Expectation, Diagnostic> parse_claim_text(const std::string& text, Loc loc, int width) {
    // The diagnostics measure their underline from a `#` at `loc`: a line of `width` columns with it at 0.
    return parse_claim(trim(text), "#" + std::string(static_cast<size_t>(std::max(0, width - 1)), ' '), 0, loc);
}

SpecExpectations parse_expectations(const SourceFile& source) {
    SpecExpectations out;
    for (int n = 1; n <= source.line_count(); ++n) {
        std::string line(source.line(n));
        size_t hash = line.find('#');
        if (hash == std::string::npos || line.find_first_not_of(" \t") != hash) continue;
        std::string body = trim(line.substr(hash + 1));
        Loc loc{n, static_cast<int>(hash) + 1};
        if (body.rfind("fixed-inputs:", 0) == 0) {
            if (auto values = parse_fixed_inputs(body.substr(13))) out.fixed_inputs = *values;
            else
                out.diagnostics.push_back({Severity::Error, loc, static_cast<int>(line.size() - hash), "malformed `# fixed-inputs:` line",
                                           "list main's randint draws as integers: `# fixed-inputs: 3 4 1 2`"});
            continue;
        }
        if (body.rfind("expect:", 0) != 0) continue;
        auto claim = parse_claim(trim(body.substr(7)), line, hash, loc);
        if (auto* d = std::get_if<Diagnostic>(&claim)) out.diagnostics.push_back(std::move(*d));
        else out.expectations.push_back(std::move(std::get<Expectation>(claim)));
    }
    return out;
}

}  // namespace critsec
