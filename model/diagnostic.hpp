#pragma once
// Diagnostics are data: every stage returns them, one printer renders them.
#include <string>
#include <vector>

#include "model/source.hpp"

namespace critsec {

enum class Severity { Error, Warning, Note };

struct Diagnostic {
    Severity severity = Severity::Error;
    Loc loc;
    int length = 1;  // how many columns the caret underlines
    std::string message;
    std::string hint;  // empty when there is nothing useful to add
};

using Diagnostics = std::vector<Diagnostic>;

inline bool has_errors(const Diagnostics& diags) {
    for (const auto& d : diags)
        if (d.severity == Severity::Error) return true;
    return false;
}

// Past this many errors a stage stops and the rest are not reported: a file of
// garbage would otherwise bury the first (the one to fix) under thousands, and
// cost time in every stage. Clang stops at 20 too (-ferror-limit).
inline constexpr int kErrorLimit = 20;

inline int error_count(const Diagnostics& diags) {
    int n = 0;
    for (const auto& d : diags) n += d.severity == Severity::Error;
    return n;
}

// Keeps the first kErrorLimit errors (and what comes before the next one) and,
// when some were dropped, ends with a note at the first dropped error saying so.
// The diagnostics are expected in the order they should be shown.
void keep_within_error_limit(Diagnostics& diags);

// GNU format, so editors jump to it:
//   spec.crit:12:9: error: message
//      12 |     total.valeu += 1
//         |           ^~~~~
//   hint: did you mean `value`?
std::string render(const SourceFile& source, const Diagnostic& diag);
std::string render_all(const SourceFile& source, const Diagnostics& diags);

// The closest candidate by edit distance, or "" when none is close enough to suggest.
std::string closest_name(const std::string& wrong, const std::vector<std::string>& candidates);

}  // namespace critsec
