#include "cli/show_command.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "checker/budget.hpp"
#include "checker/symbolic/symbolic_session.hpp"
#include "cli/exit_codes.hpp"
#include "cli/load_spec.hpp"
#include "model/lexer.hpp"

namespace critsec::cli {
namespace {

const char* kind_name(model::ObjectKind k) {
    switch (k) {
        case model::ObjectKind::Value: return "Value";
        case model::ObjectKind::Array: return "Array";
        case model::ObjectKind::Lock: return "Lock";
        case model::ObjectKind::Semaphore: return "Semaphore";
        case model::ObjectKind::File: return "File";
    }
    return "?";
}

std::string describe_object(const model::SharedObject& o) {
    switch (o.kind) {
        case model::ObjectKind::Value: return fmt::format("Value '{}' ({}) = {}", o.typecode.code, o.typecode.c_type, o.initial.at(0));
        case model::ObjectKind::Array:
            return fmt::format("Array '{}' ({}) = [{}]", o.typecode.code, o.typecode.c_type, fmt::join(o.initial, ", "));
        case model::ObjectKind::Lock: return o.recursive ? "RLock" : "Lock";
        case model::ObjectKind::Semaphore: return fmt::format("{}({})", o.bounded ? "BoundedSemaphore" : "Semaphore", o.semaphore_initial);
        case model::ObjectKind::File:
            return o.file_exists ? fmt::format("File \"{}\" = {:?}", o.file_name, o.file_initial)
                                 : fmt::format("File \"{}\" (absent)", o.file_name);
    }
    return "?";
}

std::string instances_text(const model::Program& p, int index) {
    int n = p.instances_per_process.at(index);
    const std::string& name = p.processes.at(index).name;
    if (n == 0) return "never created";
    if (n == 1) return fmt::format("1 instance: {}#1", name);
    return fmt::format("{} instances: {}#1 .. {}#{}", n, name, name, n);
}

std::string render_template(const Compiled& c, const model::ProcessTemplate& t, const std::string& header, bool with_locals) {
    const model::Program& p = *c.program;
    std::string out = header + "\n";
    int last_line = -1;
    for (size_t pc = 0; pc < t.code.size(); ++pc) {
        const auto& instr = t.code[pc];
        bool step = instr.step > 0;
        if (!step && !with_locals) continue;
        std::string source;
        if (instr.loc.line != last_line) {
            std::string_view line = c.source.line(instr.loc.line);
            size_t first = line.find_first_not_of(" \t");
            source = first == std::string_view::npos ? "" : std::string(line.substr(first));
            last_line = instr.loc.line;
        }
        std::string number = step ? fmt::format("{:>4}", instr.step) : fmt::format("{:>4}", "·");
        std::string text = model::describe_step(instr, t, p);
        if (with_locals) number += fmt::format(" pc{:<3}", pc);
        out +=
            fmt::format("  {}  {:>4}  {:<48}{}\n", number, fmt::format("{}", instr.loc.line), text, source.empty() ? "" : "  | " + source);
    }
    if (t.step_count == 0) out += "     (no shared steps)\n";
    if (t.has_loops) out += "     (has a `while` loop: the checker unrolls it up to --bound iterations when its states keep growing)\n";
    return out;
}

std::string render_text(const Compiled& c, bool with_locals) {
    const model::Program& p = *c.program;
    std::string out = fmt::format("{}: {} process{}, {} shared object{}\n", p.spec_path, p.total_instances(),
                                  p.total_instances() == 1 ? "" : "es", p.objects.size(), p.objects.size() == 1 ? "" : "s");
    if (!p.objects.empty()) {
        out += "\nshared\n";
        for (const auto& o : p.objects) out += fmt::format("  {:<24} {}\n", o.name, describe_object(o));
    }
    if (!p.globals.empty()) {
        out += "\nplain globals (each process has its own copy from fork)\n";
        for (const auto& g : p.globals) out += fmt::format("  {}\n", g.name);
    }
    out += "\nsteps (each is one atomic action; local computation between them is free)\n";
    for (size_t i = 0; i < p.processes.size(); ++i) {
        const auto& t = p.processes[i];
        out +=
            "\n" + render_template(
                       c, t, fmt::format("process {}({})  [{}]", t.name, fmt::join(t.params, ", "), instances_text(p, static_cast<int>(i))),
                       with_locals);
    }
    out += "\n" + render_template(c, p.main, "main", with_locals);
    return out;
}

nlohmann::json render_json(const Compiled& c) {
    const model::Program& p = *c.program;
    nlohmann::json objects = nlohmann::json::array();
    for (const auto& o : p.objects) {
        nlohmann::json j{{"name", o.name}, {"kind", kind_name(o.kind)}, {"line", o.loc.line}};
        if (o.kind == model::ObjectKind::Value || o.kind == model::ObjectKind::Array) {
            j["typecode"] = std::string(1, o.typecode.code);
            j["initial"] = o.initial;
        }
        if (o.kind == model::ObjectKind::Semaphore) {
            j["initial"] = o.semaphore_initial;
            j["bounded"] = o.bounded;
        }
        if (o.kind == model::ObjectKind::Lock) j["recursive"] = o.recursive;
        if (o.kind == model::ObjectKind::File) {
            j["file"] = o.file_name;
            if (o.file_exists) j["initial"] = o.file_initial;
        }
        objects.push_back(j);
    }
    auto steps_of = [&](const model::ProcessTemplate& t) {
        nlohmann::json steps = nlohmann::json::array();
        for (const auto& instr : t.code) {
            if (instr.step == 0) continue;
            std::string text = model::describe_step(instr, t, p);
            std::string kind = text.substr(0, text.find(' '));
            steps.push_back({{"step", instr.step},
                             {"line", instr.loc.line},
                             {"column", instr.loc.col},
                             {"kind", kind},
                             {"text", text},
                             {"source", std::string(c.source.line(instr.loc.line))}});
        }
        return steps;
    };
    nlohmann::json processes = nlohmann::json::array();
    for (size_t i = 0; i < p.processes.size(); ++i) {
        const auto& t = p.processes[i];
        processes.push_back({{"name", t.name},
                             {"params", t.params},
                             {"instances", p.instances_per_process[i]},
                             {"has_loops", t.has_loops},
                             {"steps", steps_of(t)}});
    }
    return {{"spec", p.spec_path},
            {"objects", objects},
            {"processes", processes},
            {"main", {{"steps", steps_of(p.main)}, {"has_loops", p.main.has_loops}}}};
}

// What building the Z3 encoding for `--dump smt2` may take (it solves nothing).
constexpr double kSmt2Seconds = 30;

struct ShowArgs {
    std::string spec;
    std::string format = "text";
    std::string dump;  // "", tokens, ast, model or smt2
    int bound = 8;     // smt2: the loop bound of the encoding, as check --bound
    bool locals = false;
};

int run_show(const ShowArgs& a) {
    Format format = a.format == "json" ? Format::Json : Format::Text;
    if (a.dump == "tokens" || a.dump == "ast") {
        // These stages exist even for a spec with static errors.
        Compiled c = compile_file(a.spec);
        if (unreadable(c)) {
            fmt::print(stderr, "{}", cannot_read(a.spec, c));
            return exit_code::no_input;
        }
        if (a.dump == "tokens") fmt::print("{}", dump_tokens(c.tokens));
        else fmt::print("{}", ast::dump(c.module));
        if (!c.diagnostics.empty()) fmt::print(stderr, "{}", render_all(c.source, c.diagnostics));
        return c.program ? exit_code::ok : exit_code::data_error;
    }
    int status = exit_code::ok;
    auto compiled = load_spec(a.spec, format, status);
    if (!compiled) return status;
    if (a.dump == "smt2") {
        checker::Budget budget(kSmt2Seconds, checker::kDefaultMaxMemoryMb, false);
        checker::CheckOptions options;
        options.bound = a.bound;
        options.timeout_seconds = kSmt2Seconds;
        options.budget = &budget;
        fmt::print("{}", checker::SymbolicSession(*compiled->program, options).encoding_smt2());
        return exit_code::ok;
    }
    if (a.dump == "model") fmt::print("{}", render_text(*compiled, true));
    else if (format == Format::Json) fmt::print("{}\n", render_json(*compiled).dump(2));
    else fmt::print("{}", render_text(*compiled, a.locals));
    return exit_code::ok;
}

}  // namespace

void add_show_command(CLI::App& app, int& exit_status) {
    auto* cmd = app.add_subcommand("show", "List the atomic steps of every process, numbered, with their source lines");
    auto args = std::make_shared<ShowArgs>();
    cmd->add_option("spec", args->spec, "the spec file (.crit)")->required();
    cmd->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--dump", args->dump, "print one stage of the pipeline instead: tokens, ast, model or smt2 (the Z3 encoding)")
        ->check(CLI::IsMember({"tokens", "ast", "model", "smt2"}));
    cmd->add_option("--bound", args->bound, "with --dump smt2: iterations of each while loop encoded")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str();
    cmd->add_flag("--locals", args->locals, "also list local instructions (marked ·), with their pcs");
    cmd->callback([args, &exit_status] { exit_status = run_show(*args); });
}

}  // namespace critsec::cli
