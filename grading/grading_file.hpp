#pragma once
// An exercise's grading file: what earns points and what a submission must not
// do to earn any. The instructor's, never a student's: a submission's own
// `# expect:` lines are shown, never graded. Claims use the `# expect:` syntax
// (model/expectations.hpp), one per line, without the `# expect:`:
//
//   title: A lost update, fixed with a Lock
//   timeout: 20                      seconds per submission (the command's --timeout overrides it)
//   max-states: 500000               states per search
//   fixed-inputs: 1 2 3 4            main's draws, for outcome claims
//   claim 4: assert: PROVED          points, then a claim
//     hint: make the load and the store of total.value one critical section
//   require: overlap Adder: sometimes    a claim that must hold, or no claim earns points
//   require: min-outcomes: 2             at least 2 distinct final outcomes
//   forbid: join-before-start            a construct that earns nothing (see Construct; also `forbid: locks`)
//
// A `hint:` line belongs to the claim or requirement above it. docs/grading.md is the reference.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/expectations.hpp"

namespace critsec::grading {

struct GradedClaim {
    Expectation claim;
    std::string text;  // as written: `assert: PROVED`
    int points = 0;
    std::string hint;
};

// At least this many distinct final outcomes (with the file's fixed inputs).
struct MinOutcomes {
    long count = 0;
};

// Constructs a grading file can forbid.
enum class Construct {
    JoinBeforeStart,  // main can join a process and start another afterwards: the children run one at a time
    Locks,            // a Lock or Semaphore (a Value's get_lock() too): for exercises that build mutual exclusion by hand
};

struct Requirement {
    std::variant<Expectation, MinOutcomes, Construct> what;
    std::string text;  // as written: `overlap Adder: sometimes`, `forbid: join-before-start`
    std::string hint;
    int line = 0;
};

struct GradingFile {
    std::string path;
    std::string title;
    std::vector<GradedClaim> claims;
    std::vector<Requirement> requirements;
    std::optional<std::vector<long long>> fixed_inputs;
    std::optional<double> seconds;  // per submission
    std::optional<size_t> max_states;
    int max_score() const;
};

struct LoadedGrading {
    SourceFile source;
    GradingFile file;
    Diagnostics diagnostics;  // a grading file with errors grades nothing
};

LoadedGrading parse_grading_file(std::string path, std::string text);
// `path` is the grading file or the exercise's folder (its `grading.txt`); a
// file that cannot be read gives a diagnostic at 0:0.
LoadedGrading load_grading_file(const std::string& path);

const char* construct_name(Construct c);  // "join-before-start", "locks"

}  // namespace critsec::grading
