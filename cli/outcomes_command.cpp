#include "cli/outcomes_command.hpp"

#include <fmt/format.h>

#include <chrono>

#include <nlohmann/json.hpp>

#include "checker/outcomes.hpp"
#include "checker/input_errors.hpp"
#include "checker/witness/trace_render.hpp"
#include "cli/check_command.hpp"
#include "cli/exit_codes.hpp"
#include "cli/indent.hpp"
#include "cli/load_spec.hpp"
#include "model/expectations.hpp"

namespace critsec::cli {
namespace {

std::string schedule_text(const checker::Witness& w) {
    std::vector<std::string> who;
    for (const auto& s : w.steps) who.push_back(fmt::format("{}.{}", s.process, s.step));
    return fmt::format("{}", fmt::join(who, " "));
}

}  // namespace

void add_outcomes_command(CLI::App& app, int& exit_status) {
    auto* cmd = app.add_subcommand("outcomes", "Every reachable final outcome, each with one witness; marks those no serial execution reaches");
    auto spec = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("text");
    auto inputs = std::make_shared<std::string>();
    auto seed = std::make_shared<uint64_t>(0);
    auto bound = std::make_shared<int>(8);
    auto charts = std::make_shared<bool>(false);
    auto max_states = std::make_shared<size_t>(checker::kOutcomeStateBudget);
    auto* seed_opt = cmd->add_option("--seed", *seed, "draw main's randint inputs from this seed");
    cmd->add_option("spec", *spec, "the spec file (.crit)")->required();
    cmd->add_option("--format", *format, "text or json (witnesses in Apalache's ITF)")->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--inputs", *inputs, "fix main's randint draws, in order: \"3 4 1 2\"")->excludes(seed_opt);
    cmd->add_option("--bound", *bound, "iterations of each while loop explored (default 8)")->check(CLI::Range(0, 1000000));
    cmd->add_option("--max-states", *max_states, "stop after this many states");
    cmd->add_flag("--charts", *charts, "print each witness as a sequence chart");
    auto search = std::make_shared<std::string>("auto");
    cmd->add_option("--search", *search,
                    "auto: the compiled search where the spec has its shape (straight-line children over Values, Arrays "
                    "and Locks), the explorer otherwise; explorer: the explorer always")
        ->check(CLI::IsMember({"auto", "explorer"}));
    cmd->callback([=, &exit_status] {
        Format fmt_kind = *format == "json" ? Format::Json : Format::Text;
        auto compiled = load_spec(*spec, fmt_kind, exit_status);
        if (!compiled) return;
        const model::Program& program = *compiled->program;
        checker::OutcomeSettings settings;
        settings.options.bound = *bound;
        settings.max_states = *max_states;
        settings.compiled = *search == "auto";
        if (!inputs->empty()) {
            auto values = parse_input_list(*inputs);
            if (!values) {
                fmt::print(stderr, "critsec: --inputs wants integers, e.g. --inputs \"3 4 1 2\"\n");
                exit_status = exit_code::usage;
                return;
            }
            settings.options.fixed_inputs = values;
        }
        if (seed_opt->count() > 0) settings.seed = *seed;
        auto t0 = std::chrono::steady_clock::now();
        checker::OutcomeReport report;
        try {
            report = checker::enumerate_outcomes(program, settings);
        } catch (const checker::InputOutOfRange& e) {
            fmt::print(stderr, "{}:{}: error: --inputs: {}\n", program.spec_path, e.line, e.what());
            exit_status = exit_code::usage;
            return;
        }
        std::string note;
        if (!report.complete && !settings.options.fixed_inputs && !settings.seed) {
            // Too many input combinations: fall back on the inputs the spec fixes for its outcome lines.
            SpecExpectations e = parse_expectations(compiled->source);
            if (e.fixed_inputs) {
                settings.options.fixed_inputs = std::vector<int64_t>(e.fixed_inputs->begin(), e.fixed_inputs->end());
                note = fmt::format("every input combination is too many ({}); using the spec's `# fixed-inputs:` line", report.incomplete);
                try {
                    report = checker::enumerate_outcomes(program, settings);
                } catch (const checker::InputOutOfRange& x) {
                    fmt::print(stderr, "{}:{}: error: `# fixed-inputs:`: {}\n", program.spec_path, x.line, x.what());
                    exit_status = exit_code::data_error;
                    return;
                }
            }
        }
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        size_t serial = 0;
        for (const auto& o : report.outcomes) serial += o.serial;

        if (fmt_kind == Format::Json) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& o : report.outcomes)
                list.push_back({{"outcome", o.text},
                                {"serial", o.serial},
                                {"inputs", o.witness.inputs},
                                {"witness", checker::itf_of(program, o.witness, "a witness of this outcome")}});
            fmt::print("{}\n", nlohmann::json{{"spec", program.spec_path},
                                              {"inputs", report.scope_text},
                                              {"complete", report.complete && !report.bound_hit},
                                              {"incomplete", report.incomplete},
                                              {"note", note},
                                              {"states", report.states},
                                              {"search", report.compiled ? "compiled" : "explorer"},
                                              {"compiled_declined", report.compiled_declined},
                                              {"seconds", seconds},
                                              {"outcomes", list}}
                                   .dump(2));
        } else {
            if (!note.empty()) fmt::print("note: {}\n", note);
            std::string engine = report.compiled ? "compiled search" : "explorer";
            if (report.complete)
                fmt::print("{}: {} reachable outcome{} ({} serial), {}, {} states ({}) in {:.3f} s\n", program.spec_path, report.outcomes.size(),
                           report.outcomes.size() == 1 ? "" : "s", serial, report.scope_text, report.states + report.serial_states, engine, seconds);
            else
                fmt::print("{}: outcomes not all enumerated ({} found), {}, {} states ({}) in {:.3f} s\n", program.spec_path, report.outcomes.size(),
                           report.scope_text, report.states, engine, seconds);
            if (!report.complete) fmt::print("INCOMPLETE: {}\n", report.incomplete);
            if (report.bound_hit) fmt::print("BOUNDED: some executions were cut at {} iterations of a while loop; outcomes beyond it are missing\n", *bound);
            int n = 0;
            for (const auto& o : report.outcomes) {
                fmt::print("\noutcome {}{}\n", ++n, o.serial ? "  (serial)" : "  (no serial execution reaches it)");
                fmt::print("{}", indent(o.text.empty() ? "(no shared state, nothing printed)\n" : o.text, "    "));
                if (!o.witness.inputs.empty()) fmt::print("  inputs:   {}\n", fmt::join(o.witness.inputs, " "));
                fmt::print("  schedule: {}\n", schedule_text(o.witness));
                if (*charts) fmt::print("{}", indent(checker::chart_of(program, o.witness), "  "));
            }
        }
        exit_status = report.complete && !report.bound_hit ? exit_code::ok : exit_code::inconclusive;
    });
}

}  // namespace critsec::cli
