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

namespace {

bool continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The echoed line as a terminal shows it, one column for each character: a tab
// as a space, a control byte (a NUL, a stray carriage return) as its Control
// Pictures sign (␀, ␍), which a terminal would otherwise act on.
std::string shown_text(std::string_view text) {
    std::string out;
    for (char c : text) {
        auto b = static_cast<unsigned char>(c);
        if (c == '\t') out += ' ';
        else if (b < 0x20) out += {'\xE2', '\x90', static_cast<char>(0x80 + b)};  // U+2400 + b
        else if (b == 0x7F) out += "\xE2\x90\xA1";                                       // U+2421 ␡
        else out += c;
    }
    return out;
}

// Columns a terminal gives `text` (one per character: UTF-8 continuation bytes take none).
int width_of(std::string_view text) {
    return static_cast<int>(std::count_if(text.begin(), text.end(), [](char c) { return !continuation_byte(c); }));
}

}  // namespace

std::string render(const SourceFile& source, const Diagnostic& diag) {
    std::string out =
        fmt::format("{}:{}:{}: {}: {}\n", source.path(), diag.loc.line, diag.loc.col, severity_name(diag.severity), diag.message);
    std::string_view line = source.line(diag.loc.line);
    if (diag.loc.line >= 1 && diag.loc.line <= source.line_count()) {
        std::string gutter = fmt::format("{:>5}", diag.loc.line);
        // Columns count bytes (as GCC's do); the caret is placed by characters.
        size_t col = std::min(line.size(), static_cast<size_t>(std::max(1, diag.loc.col) - 1));
        size_t end = std::min(line.size(), col + static_cast<size_t>(std::max(1, diag.length)));
        // A very long line is cut to a window around the caret (on a character's first byte).
        constexpr size_t kWindow = 100;
        size_t first = 0, last = line.size();
        if (line.size() > kWindow) {
            first = col > kWindow / 2 ? col - kWindow / 2 : 0;
            last = std::min(line.size(), first + kWindow);
            while (first > 0 && continuation_byte(line[first])) --first;
            while (last < line.size() && continuation_byte(line[last])) ++last;
            end = std::min(end, last);
        }
        std::string prefix = first > 0 ? "..." : "", suffix = last < line.size() ? "..." : "";
        int before = static_cast<int>(prefix.size()) + width_of(line.substr(first, col - first));
        int underlined = std::max(1, width_of(line.substr(col, end - col)));
        out += fmt::format("{} | {}{}{}\n", gutter, prefix, shown_text(line.substr(first, last - first)), suffix);
        out += fmt::format("{} | {}^{}\n", std::string(gutter.size(), ' '), std::string(before, ' '), std::string(underlined - 1, '~'));
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

void keep_within_error_limit(Diagnostics& diags) {
    int errors = 0;
    for (size_t i = 0; i < diags.size(); ++i) {
        if (diags[i].severity != Severity::Error || ++errors <= kErrorLimit) continue;
        Loc first_dropped = diags[i].loc;
        diags.resize(i);
        diags.push_back({Severity::Note, first_dropped, 1, fmt::format("more than {} errors: the rest are not shown", kErrorLimit),
                         "fix these first; the later ones are often caused by them"});
        return;
    }
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
