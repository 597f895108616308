#include "cli/main_inputs.hpp"

#include <fmt/format.h>

#include <sstream>

#include "model/expectations.hpp"

namespace critsec::cli {

std::optional<std::vector<int64_t>> parse_input_list(const std::string& text) {
    std::string s = text;
    for (char& c : s)
        if (c == ',') c = ' ';
    std::istringstream in(s);
    std::vector<int64_t> out;
    std::string word;
    while (in >> word) {
        try {
            size_t used = 0;
            out.push_back(std::stoll(word, &used));
            if (used != word.size()) return std::nullopt;
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    return out;
}

bool read_inputs_option(const std::string& text, std::optional<std::vector<int64_t>>& inputs) {
    if (text.empty()) return true;
    inputs = parse_input_list(text);
    if (inputs) return true;
    fmt::print(stderr, "critsec: --inputs wants integers, e.g. --inputs \"3 4 1 2\"\n");
    return false;
}

void print_out_of_range(const model::Program& program, const checker::InputOutOfRange& e, const std::string& given_by) {
    fmt::print(stderr, "{}:{}: error: {}: {}\n", program.spec_path, e.line, given_by, e.what());
}

std::optional<ListedOutcomes> list_outcomes(const Compiled& compiled, checker::OutcomeSettings& settings) {
    const model::Program& program = *compiled.program;
    ListedOutcomes out{checker::enumerate_outcomes(program, settings), ""};
    if (out.report.complete || settings.options.fixed_inputs || settings.seed) return out;
    SpecExpectations e = parse_expectations(compiled.source);
    if (!e.fixed_inputs) return out;
    settings.options.fixed_inputs = std::vector<int64_t>(e.fixed_inputs->begin(), e.fixed_inputs->end());
    out.note = fmt::format("every input combination is too many ({}); using the spec's `# fixed-inputs:` line", out.report.incomplete);
    try {
        out.report = checker::enumerate_outcomes(program, settings);
    } catch (const checker::InputOutOfRange& x) {
        print_out_of_range(program, x, "`# fixed-inputs:`");
        return std::nullopt;
    }
    return out;
}

}  // namespace critsec::cli
