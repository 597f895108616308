#pragma once
// Did the real processes do what the model predicted? A replay agrees when the
// run took every forced turn, each real step did what the model's step did (the
// same action, the same values loaded and stored), and the run ended as the
// model ended: the same shared state, the same failures, a deadlock exactly
// when the model is left with blocked processes, main's last prints.
//
// The judgement of `critsec replay`, here rather than in cli/ so that the tests
// judge a replay by the very same rules.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "checker/verdict.hpp"
#include "checker/witness/witness_completion.hpp"
#include "runtime/run_result.hpp"

namespace critsec::compare {

struct ReplayMatch {
    std::vector<std::string> differences;  // empty: the machine agreed with the model
    bool agreed() const { return differences.empty(); }
};

// The run's problems that are a process's failure ("Adder#2: ValueError: ..."),
// not the watchdog's reasons ("Adder#1 waits for a (held by Adder#2)").
std::vector<std::string> real_failures(const runtime::RunResult& real);

// A pid inside a quoted print in the event log is the escaped mark `\x1e3\x1f`
// (the quoting escapes the control characters expand_pid_marks looks for): shown
// as the instance's name, as the model shows it.
std::string named_event_text(const std::string& what, const std::vector<std::string>& names);
void name_pids_in_events(runtime::RunResult& real);

ReplayMatch match_replay(const checker::CompletedWitness& plan, const checker::ModelEnd& predicted, const runtime::RunResult& real,
                         size_t turns_taken);

// The violation of a property of this kind as the real run shows it, in one
// line ("" when it shows none, or when an outcome's witness was replayed).
std::string shown_violation(std::optional<checker::PropertyKind> kind, const checker::CompletedWitness& plan,
                            const runtime::RunResult& real);

}  // namespace critsec::compare
