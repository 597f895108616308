#pragma once
// `critsec compare`: N real runs of a spec against the outcomes its model
// predicts. The runs are grouped by the inputs main drew (its randint draws);
// for each distinct input vector the explorer enumerates every reachable
// outcome with those inputs fixed (once per vector). An outcome observed but not
// predicted means the model is wrong about the machine; a predicted outcome never
// observed is a coverage gap. Every run's event log is also replayed through the
// model (trace_validation.hpp).
//
// A stage: it returns the report, it never prints.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checker/outcomes.hpp"
#include "compare/trace_validation.hpp"
#include "model/program.hpp"
#include "runtime/run_options.hpp"

namespace critsec::compare {

// What a prediction is made for: main's draws, and, where a run records them
// (CPython's, whose children draw on their own), each child's by its label.
struct PredictionInputs {
    std::vector<int64_t> main;
    std::map<std::string, std::vector<int64_t>> children;
    auto operator<=>(const PredictionInputs&) const = default;
};

// The model's prediction for one input vector: checker::enumerate_outcomes with
// those inputs fixed. A seam, so that a test can hand compare a wrong model.
using Predictor = std::function<checker::OutcomeReport(const model::Program&, const PredictionInputs& inputs)>;
// `budget` (may be null) is shared by every prediction of the command: its time and memory.
Predictor explorer_predictor(int bound, size_t max_states, const checker::Budget* budget = nullptr);

struct CompareOptions {
    uint64_t runs = 100;
    uint64_t seed = 1;        // run k has seed runtime::run_seed(seed, k), as `critsec run`
    bool reuse = false;       // litmus executor (processes forked once)
    runtime::RunOptions run;  // perturbation, time scale, caps; run.main_inputs is set from `inputs`
    // main's draws for every run and for the checker (a spec's `# fixed-inputs:`);
    // empty: drawn from each run's seed.
    std::optional<std::vector<int64_t>> inputs;
    int bound = 8;                                     // the checker's loop bound
    size_t max_states = checker::kOutcomeStateBudget;  // per input vector
    bool validate_traces = true;
    size_t keep_failures = 5;  // unpredicted runs and trace divergences kept in full
    // Called after every run (done, total); return false to stop early (Ctrl-C).
    std::function<bool(uint64_t, uint64_t)> progress;
    // Null: explorer_predictor(bound, max_states).
    Predictor predictor;
};

// One distinct outcome, predicted or observed or both.
struct OutcomeRow {
    std::string text;             // the checker's outcome text (one `name = value` per line)
    bool predicted = false;       // for the inputs of every run that showed it (or, unobserved, for its group's)
    uint64_t observed = 0;        // runs that ended with it
    bool serial = false;          // some serial execution reaches it
    bool lost_update = false;     // its witness overwrites a store nobody read
    std::string witness;          // one line: `main.1-6 Adder#1.1 Adder#2.1-2 ...` (empty when not predicted)
    int witness_number = 0;       // its number in `critsec outcomes` for those inputs (1-based; 0 when not predicted)
    std::vector<int64_t> inputs;  // the inputs of its witness, or of its first run
    uint64_t first_run = 0;       // index and seed of the first run that showed it
    uint64_t first_seed = 0;
    int input_vectors = 0;  // distinct input vectors under which it was observed
};

// One distinct input vector.
struct InputGroup {
    std::vector<int64_t> inputs;
    std::map<std::string, std::vector<int64_t>> child_draws;  // CPython runs: what the children drew
    uint64_t runs = 0;
    size_t predicted = 0;       // outcomes the checker predicts for them
    size_t predicted_seen = 0;  // of which observed
    bool complete = true;       // the checker listed every reachable outcome (and no loop bound cut)
    std::string incomplete;
    double checker_seconds = 0;
};

// A run whose outcome the model does not predict: shown in full.
struct UnpredictedRun {
    uint64_t index = 0, seed = 0;
    std::vector<int64_t> inputs;
    std::string outcome;                 // in the checker's terms
    std::string run_outcome;             // as `critsec run` shows it
    std::string chart;                   // its event log as a sequence chart
    bool prediction_incomplete = false;  // the checker did not finish for these inputs: inconclusive, not wrong
    std::map<std::string, std::vector<int64_t>> child_draws;  // what its children drew, where recorded (CPython)
};

struct TraceFailure {
    uint64_t index = 0, seed = 0;
    TraceCheck check;
    std::string chart;
};

struct ComparisonReport {
    std::string spec;
    uint64_t runs = 0;                  // runs done
    uint64_t runs_without_outcome = 0;  // timeouts (and a Ctrl-C): not compared
    bool interrupted = false;
    std::vector<OutcomeRow> rows;    // predicted and observed, sorted by text
    std::vector<InputGroup> groups;  // in order of first appearance
    // Observed outcomes the model does not predict (runs and distinct outcomes).
    uint64_t unpredicted_runs = 0;
    size_t unpredicted_outcomes = 0;
    uint64_t inconclusive_runs = 0;           // not predicted, but the prediction for their inputs is incomplete
    std::vector<UnpredictedRun> unpredicted;  // the first run of each unpredicted outcome (at most keep_failures)
    // Coverage over every input vector: predicted outcomes (per vector) and how many were seen.
    size_t predicted = 0;
    size_t predicted_seen = 0;
    bool single_input_vector() const { return groups.size() == 1; }
    // Trace validation.
    uint64_t traces_checked = 0;   // runs whose log was replayed
    uint64_t traces_replayed = 0;  // replayed exactly, as logged (there is no other way)
    uint64_t traces_diverged = 0;
    uint64_t traces_not_checked = 0;           // incomplete log, or no outcome
    std::vector<TraceFailure> trace_failures;  // the first few divergences
    double run_seconds = 0, checker_seconds = 0, trace_seconds = 0;

    // Everything observed was predicted, and every checked trace replays.
    bool model_agrees() const { return unpredicted_runs == 0 && traces_diverged == 0; }
    // Some answer is missing: a run without outcome, an incomplete prediction.
    bool inconclusive() const;
};

ComparisonReport compare_spec(const model::Program& program, const CompareOptions& options);

}  // namespace critsec::compare
