#pragma once
// A CPython run's outcome written in the checker's terms (as observed_outcome.hpp
// does for the fork runtime), from the harness's records and the run's files:
//   `total.value = 11`, `slots = [1, 2]`   the final values of the shared Values and
//                                          Arrays, read by the harness from the
//                                          program's __main__ globals by the model's
//                                          names (the reader names them so);
//   `file f.txt = "71"` / `file f.txt absent`   read from the run's private folder;
//   `main failed: E`, `Adder#2 failed: E`  main first, then in start order;
//   `main prints: ...`                     every line main printed, in order;
//   `deadlock: main, W#1 blocked`          a run stopped by the deadlock watch
//                                          (cpython_run.hpp): the processes left, main
//                                          first; its Values and Arrays unobserved.
// A Value or Array the harness cannot find under its name (it lives in a local of
// a function, or the name was rebound) is unobserved: its line is left out, here
// and, by project_outcome, from the predictions it is held against. Leaving a
// line out of both sides can merge outcomes, never make a wrong one match.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compare/cpython_run.hpp"
#include "model/program.hpp"

namespace critsec::compare {

struct CPythonOutcome {
    bool complete = false;        // the harness reported the program's end
    std::string problem;          // when not: what happened instead
    std::vector<int64_t> inputs;  // main's draws, in order
    std::map<std::string, std::vector<int64_t>> child_draws;  // each child's, by label
    std::string text;             // the outcome, in the checker's terms
    std::set<std::string> unobserved;
};

// The Values and Arrays to ask the harness for, and the Files to read, by the model's names.
std::vector<std::string> observable_objects(const model::Program& program);
std::vector<std::string> file_names(const model::Program& program);

CPythonOutcome cpython_outcome(const model::Program& program, const CPythonRun& run);

// `text` without the lines of the objects in `unobserved`.
std::string project_outcome(const std::string& text, const std::set<std::string>& unobserved);

}  // namespace critsec::compare
