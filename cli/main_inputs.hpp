#pragma once
// main's randint inputs as the commands take them: `--inputs "3 4 1 2"` (or
// commas) from the command line, the spec's own `# fixed-inputs:` line when
// every input combination is too many, and the error that names the draw's line
// when one lies outside its randint's range.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/input_errors.hpp"
#include "checker/outcomes.hpp"
#include "model/frontend.hpp"

namespace critsec::cli {

// "1 2 3" or "1,2,3" -> the numbers; nullopt when malformed.
std::optional<std::vector<int64_t>> parse_input_list(const std::string& text);

// `--inputs` as check, outcomes and replay take it: `inputs` stays empty when the
// option is; false, after the usage message, when it is malformed.
bool read_inputs_option(const std::string& text, std::optional<std::vector<int64_t>>& inputs);

// "spec.crit:12: error: --inputs: input 1 of main is 9, outside randint(1, 5)";
// `given_by` is "--inputs" or "`# fixed-inputs:`".
void print_out_of_range(const model::Program& program, const checker::InputOutOfRange& e, const std::string& given_by);

struct ListedOutcomes {
    checker::OutcomeReport report;
    std::string note;  // set when the spec's `# fixed-inputs:` stood in for every input combination
};

// Every reachable outcome under `settings`. When every input combination is too
// many and the command fixed none (no --inputs, no --seed), the spec's
// `# fixed-inputs:` line fixes them instead, and `settings` keeps them. An input
// out of range throws InputOutOfRange for the command's own inputs; for the
// spec's line the error is printed and the result is nullopt (a data error).
std::optional<ListedOutcomes> list_outcomes(const Compiled& compiled, checker::OutcomeSettings& settings);

}  // namespace critsec::cli
