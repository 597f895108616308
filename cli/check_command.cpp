#include "cli/check_command.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <sstream>

#include <nlohmann/json.hpp>

#include "checker/engines.hpp"
#include "checker/explorer/properties.hpp"
#include "checker/input_errors.hpp"
#include "checker/witness/trace_render.hpp"
#include "cli/exit_codes.hpp"
#include "cli/load_spec.hpp"
#include "model/expectations.hpp"

namespace critsec::cli {
namespace {

// Which engines decided the verdicts, in the order they were asked:
// "decided by induction (4)", "decided by shape (2), explorer (2; 1,234 states)".
std::string deciders(const checker::SpecCheck& check) {
    std::vector<std::pair<std::string, int>> counts;
    for (const auto& e : check.decided_by) {
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == e; });
        if (it == counts.end()) counts.emplace_back(e, 1);
        else ++it->second;
    }
    std::vector<std::string> parts;
    for (const auto& [engine, n] : counts) {
        std::string extra;
        if (engine == "explorer") extra = fmt::format("; {} states", check.states);
        if (engine == "z3") extra = fmt::format("; {:.3f} s", check.z3_seconds);
        parts.push_back(fmt::format("{} ({}{})", engine, n, extra));
    }
    return "decided by " + fmt::format("{}", fmt::join(parts, ", "));
}

// "1 2 3" or "1,2,3" -> the numbers; nullopt when malformed.
std::optional<std::vector<int64_t>> parse_inputs(const std::string& text) {
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

int exit_for(const std::vector<checker::PropertyResult>& results) {
    bool violated = false, inconclusive = false;
    for (const auto& r : results) {
        violated = violated || r.verdict == checker::Verdict::Violated;
        inconclusive = inconclusive || r.verdict == checker::Verdict::Bounded || r.verdict == checker::Verdict::Unknown;
    }
    return violated ? exit_code::violated : inconclusive ? exit_code::inconclusive : exit_code::ok;
}

}  // namespace

std::optional<std::vector<int64_t>> parse_input_list(const std::string& text) { return parse_inputs(text); }

void add_check_command(CLI::App& app, int& exit_status) {
    auto* cmd = app.add_subcommand("check", "Decide every property: PROVED, VIOLATED (with a counterexample), BOUNDED or UNKNOWN");
    auto spec = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("text");
    auto inputs = std::make_shared<std::string>();
    auto bound = std::make_shared<int>(8);
    auto max_states = std::make_shared<size_t>(1'000'000);
    auto engine = std::make_shared<std::string>("auto");
    auto timeout = std::make_shared<double>(30);
    cmd->add_option("spec", *spec, "the spec file (.crit)")->required();
    cmd->add_option("--format", *format, "text or json (counterexamples in Apalache's ITF)")->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--inputs", *inputs, "fix main's randint draws, in order: \"3 4 1 2\"");
    cmd->add_option("--bound", *bound, "iterations of each while loop explored (default 8)")->check(CLI::Range(0, 1000000));
    cmd->add_option("--max-states", *max_states, "stop the explorer after this many states (the verdicts become UNKNOWN)");
    cmd->add_option("--engine", *engine,
                    "auto (inductive invariant, shape proofs, a short search for races, the explorer, then Z3 for what is left), "
                    "explorer (explicit-state, no Z3) or z3")
        ->check(CLI::IsMember({"auto", "explorer", "z3"}));
    cmd->add_option("--timeout", *timeout, "seconds Z3 may spend on the spec (default 30); past it, UNKNOWN")->check(CLI::Range(0.1, 86400.0));
    cmd->callback([=, &exit_status] {
        Format fmt_kind = *format == "json" ? Format::Json : Format::Text;
        auto compiled = load_spec(*spec, fmt_kind, exit_status);
        if (!compiled) return;
        checker::ExplorerSettings settings;
        settings.options.bound = *bound;
        settings.max_states = *max_states;
        settings.options.timeout_seconds = *timeout;
        if (!inputs->empty()) {
            auto values = parse_inputs(*inputs);
            if (!values) {
                fmt::print(stderr, "critsec: --inputs wants integers, e.g. --inputs \"3 4 1 2\"\n");
                exit_status = exit_code::usage;
                return;
            }
            settings.options.fixed_inputs = values;
        }
        SpecExpectations expectations = parse_expectations(compiled->source);
        for (const auto& e : expectations.expectations)
            if (checker::is_watch(e)) settings.watches.push_back(e);
        checker::Engine which = *engine == "z3" ? checker::Engine::Z3 : *engine == "explorer" ? checker::Engine::Explorer : checker::Engine::Auto;
        checker::SpecCheck check;
        try {
            check = checker::check_spec(*compiled->program, settings, which);
        } catch (const checker::InputOutOfRange& e) {
            fmt::print(stderr, "{}:{}: error: --inputs: {}\n", compiled->program->spec_path, e.line, e.what());
            exit_status = exit_code::usage;
            return;
        }
        const model::Program& program = *compiled->program;

        if (fmt_kind == Format::Json) {
            nlohmann::json props = nlohmann::json::array();
            for (size_t i = 0; i < check.properties.size(); ++i) {
                const auto& r = check.properties[i];
                nlohmann::json j{{"name", r.name},     {"key", r.key},
                                 {"verdict", checker::verdict_name(r.verdict)},
                                 {"detail", r.detail}, {"engine", check.decided_by[i]}};
                if (r.witness) j["witness"] = checker::itf_of(program, *r.witness, r.name + ": " + r.detail);
                props.push_back(j);
            }
            fmt::print("{}\n", nlohmann::json{{"spec", program.spec_path},
                                              {"engine", *engine},
                                              {"inputs", check.scope_text},
                                              {"states", check.states},
                                              {"seconds", check.seconds},
                                              {"z3_seconds", check.z3_seconds},
                                              {"properties", props}}
                                   .dump(2));
        } else {
            fmt::print("{}: {}; {}; {:.3f} s\n", program.spec_path, check.scope_text, deciders(check), check.seconds);
            size_t width = 14;
            for (const auto& r : check.properties) width = std::max(width, r.name.size());
            bool mixed = std::any_of(check.decided_by.begin(), check.decided_by.end(),
                                     [&](const std::string& e) { return e != check.decided_by.front(); });
            for (size_t i = 0; i < check.properties.size(); ++i) {
                const auto& r = check.properties[i];
                fmt::print("  {:<9} {:<{}}  {}{}\n", checker::verdict_name(r.verdict), r.name, width,
                           mixed ? fmt::format("[{}] ", check.decided_by[i]) : "", r.detail);
            }
            for (const auto& e : check.unknown_watches)
                fmt::print(stderr, "{}:{}: warning: the expectation names a process, or a line with no step of it, that this spec does not have\n", program.spec_path, e.loc.line);
            for (const auto& r : check.properties) {
                if (!r.witness || r.verdict != checker::Verdict::Violated) continue;
                fmt::print("\ncounterexample: {}\n{}", r.name, checker::chart_of(program, *r.witness));
            }
        }
        exit_status = exit_for(check.properties);
    });
}

}  // namespace critsec::cli
