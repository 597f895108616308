#include "model/diagnostic.hpp"

#include <fmt/format.h>
#include <algorithm>

namespace critsec {

static const char* severity_name(Severity s) {
    switch (s) {
        case Severity::Error: return "error";
        case Severity::Warning: return "warning";
        case Severity::Note: return "note";
    }
    return "error";
}

std::string render(const SourceFile& source, const Diagnostic& diag) {
    std::string out =
        fmt::format("{}:{}:{}: {}: {}\n", source.path(), diag.loc.line, diag.loc.col, severity_name(diag.severity), diag.message);
    std::string_view line = source.line(diag.loc.line);
    if (diag.loc.line >= 1 && diag.loc.line <= source.line_count()) {
        std::string gutter = fmt::format("{:>5}", diag.loc.line);
        int col = std::max(1, diag.loc.col);
        int avail = std::max(1, static_cast<int>(line.size()) - col + 1);
        int len = std::clamp(diag.length, 1, avail);
        // A very long line is cut to a window around the caret.
        constexpr int kWindow = 100;
        size_t first = 0;
        std::string prefix, suffix;
        if (line.size() > static_cast<size_t>(kWindow)) {
            first = std::min(line.size(), static_cast<size_t>(std::max(0, col - 1 - kWindow / 2)));
            if (first > 0) prefix = "...";
            if (first + kWindow < line.size()) suffix = "...";
            len = std::min(len, kWindow - (col - 1 - static_cast<int>(first)));
        }
        std::string shown = prefix;
        // Tabs would misplace the caret: show them as single spaces.
        for (char c : line.substr(first, kWindow)) shown += (c == '\t') ? ' ' : c;
        shown += suffix;
        int caret_col = static_cast<int>(prefix.size()) + col - static_cast<int>(first);
        out += fmt::format("{} | {}\n", gutter, shown);
        out += fmt::format("{} | {}^{}\n", std::string(gutter.size(), ' '), std::string(caret_col - 1, ' '),
                           std::string(std::max(0, len - 1), '~'));
    }
    if (!diag.hint.empty()) out += fmt::format("hint: {}\n", diag.hint);
    return out;
}

std::string render_all(const SourceFile& source, const Diagnostics& diags) {
    std::string out;
    int errors = 0;
    for (const auto& d : diags) {
        out += render(source, d);
        if (d.severity == Severity::Error) ++errors;
    }
    if (errors > 0) out += fmt::format("{} error{} generated.\n", errors, errors == 1 ? "" : "s");
    return out;
}

static size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> before_prev(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
            // An adjacent transposition (`valeu` for `value`) costs one edit.
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], before_prev[j - 2] + 1);
        }
        before_prev = prev;
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string closest_name(const std::string& wrong, const std::vector<std::string>& candidates) {
    std::string best;
    size_t best_distance = std::max<size_t>(1, wrong.size() / 3) + 1;
    for (const auto& c : candidates) {
        if (c == wrong) continue;
        size_t d = edit_distance(wrong, c);
        if (d < best_distance) {
            best_distance = d;
            best = c;
        }
    }
    return best;
}

}  // namespace critsec
