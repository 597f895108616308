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
