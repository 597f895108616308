#pragma once
// The verdicts a spec states about itself, in `# expect:` comment lines, so
// that `critsec suite DIR` (and the golden test) can hold the checker to them.
// `critsec check` reads only the watch lines (prints, max-inside, ...) to know
// what to watch; it compares no verdict.
//
//   # expect: lost-update: VIOLATED          a property and its verdict; properties:
//   # expect: assert: PROVED                 assert (every assert), assert@LINE,
//   # expect: assert@21: VIOLATED            lost-update, deadlock, runtime-error
//   # expect: outcomes: 31                   the number of distinct final outcomes
//   # expect: outcome: total.value = 36      some reachable outcome has this line
//   # expect: no-outcome: total.value = 0    no reachable outcome has this line
//   # expect: prints: Worker#1 "Worker: 1"   in every execution, that process prints that line
//   # expect: max-inside Printer 13-15: 3    never more than 3 Printers at once in lines 13..15
//   # expect: reach-inside Printer 13-15: 4  4 Printers at once in lines 13..15 is reachable
//   # expect: overlap Task: never            two Tasks are never both started and unfinished
//   # expect: order main:18 after Task:10: always
//                                            every Task's step at line 10 comes before main's at
//                                            line 18 (`end` for the end of a process); the
//                                            quantifier is always, sometimes or never
//   # fixed-inputs: 1 1 1 2                  main's randint draws, in order, for the outcome lines
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/diagnostic.hpp"

namespace critsec {

struct Expectation {
    enum class Kind { Verdict, OutcomeCount, Outcome, NoOutcome, Prints, MaxInside, ReachInside, Overlap, Order };
    Kind kind;
    Loc loc;
    std::string property;               // Verdict: "assert", "assert@21", "lost-update", "deadlock", "runtime-error", "progress"
    std::string verdict;                // Verdict: "PROVED", "VIOLATED", "BOUNDED", "UNKNOWN"
    std::string text;                   // Outcome / NoOutcome: the line; Prints: the printed line
    std::string process;                // Prints: `Worker#1`; MaxInside, ReachInside, Overlap: the template
    int first_line = 0, last_line = 0;  // MaxInside, ReachInside
    long count = 0;                     // OutcomeCount, MaxInside, ReachInside
    // Order: `first` `relation` `second`, under `quantifier`.
    std::string first, relation, second, quantifier;  // e.g. "main:18" "after" "Task:10" "always"
    bool never = false;                               // Overlap: never (true) or sometimes (false)
};

struct SpecExpectations {
    std::vector<Expectation> expectations;
    std::optional<std::vector<long long>> fixed_inputs;
    Diagnostics diagnostics;  // malformed `# expect:` lines
};

SpecExpectations parse_expectations(const SourceFile& source);

// One claim's text, as it follows `# expect:` (`lost-update: PROVED`), found at
// `loc` of a line `width` columns long from there: for files that state claims
// in lines of their own (an exercise's grading file), in the same syntax.
std::variant<Expectation, Diagnostic> parse_claim_text(const std::string& text, Loc loc, int width);

}  // namespace critsec
