#include "compare/cpython_outcome.hpp"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "runtime/child_process.hpp"

namespace critsec::compare {
namespace {

// The final value of one Value or Array as the harness reported it, in the
// model's form (MemoryWorld::outcome_text); "" when it is not one.
std::string value_line(const model::SharedObject& o, const nlohmann::json& v) {
    if (o.kind == model::ObjectKind::Value && v.is_number_integer()) return fmt::format("{}.value = {}\n", o.name, v.get<int64_t>());
    if (o.kind != model::ObjectKind::Array || !v.is_array()) return "";
    std::vector<int64_t> cells;
    for (const auto& c : v) {
        if (!c.is_number_integer()) return "";
        cells.push_back(c.get<int64_t>());
    }
    return fmt::format("{} = [{}]\n", o.name, fmt::join(cells, ", "));
}

// The final state's lines, in the model's object order.
std::string state_lines(const model::Program& program, const CPythonRun& run, const nlohmann::json& values,
                        std::set<std::string>& unobserved) {
    std::string out;
    size_t file = 0;
    for (const auto& o : program.objects) {
        if (o.kind == model::ObjectKind::File) {
            const auto& content = file < run.files.size() ? run.files[file] : std::nullopt;
            ++file;
            out += content ? fmt::format("file {} = {:?}\n", o.file_name, *content) : fmt::format("file {} absent\n", o.file_name);
        } else if (o.kind == model::ObjectKind::Value || o.kind == model::ObjectKind::Array) {
            std::string line = values.contains(o.name) ? value_line(o, values[o.name]) : "";
            if (line.empty()) unobserved.insert(o.name);
            out += line;
        }
    }
    return out;
}

// The harness's records of one run (cpython_harness.cpp), in order.
struct Records {
    std::vector<int64_t> draws;
    std::map<std::string, std::vector<int64_t>> child_draws;  // by label
    std::vector<std::string> prints, started{"main"};
    std::map<std::string, std::string> failed;  // label -> error
    std::optional<nlohmann::json> values;       // from the end record: the program and its children are over

    explicit Records(const std::vector<std::string>& lines) {
        for (const auto& line : lines) {
            nlohmann::json r = nlohmann::json::parse(line, nullptr, false);
            if (!r.is_object()) continue;
            if (r.contains("draw") && r["draw"].is_number_integer()) {
                int64_t v = r["draw"].get<int64_t>();
                if (r.contains("by") && r["by"].is_string()) child_draws[r["by"].get<std::string>()].push_back(v);
                else draws.push_back(v);
            }
            if (r.contains("print") && r["print"].is_string()) prints.push_back(r["print"].get<std::string>());
            if (r.contains("start") && r["start"].is_string()) started.push_back(r["start"].get<std::string>());
            if (r.contains("failed") && r["failed"].is_string() && r.contains("error") && r["error"].is_string())
                failed.emplace(r["failed"].get<std::string>(), r["error"].get<std::string>());
            if (r.contains("end") && r.contains("values") && r["values"].is_object()) values = r["values"];
        }
    }

    // `X failed: E` lines: main's, then each child's in the order they were started.
    std::string failure_lines() const {
        std::string out;
        std::set<std::string> told;
        for (const auto& label : started) {
            auto it = failed.find(label);
            if (it != failed.end() && told.insert(label).second) out += fmt::format("{} failed: {}\n", label, it->second);
        }
        for (const auto& [label, error] : failed)  // started by a child, if ever: after the others
            if (!told.count(label)) out += fmt::format("{} failed: {}\n", label, error);
        return out;
    }
};

}  // namespace

std::vector<std::string> observable_objects(const model::Program& program) {
    std::vector<std::string> out;
    for (const auto& o : program.objects)
        if (o.kind == model::ObjectKind::Value || o.kind == model::ObjectKind::Array) out.push_back(o.name);
    return out;
}

std::vector<std::string> file_names(const model::Program& program) {
    std::vector<std::string> out;
    for (const auto& o : program.objects)
        if (o.kind == model::ObjectKind::File) out.push_back(o.file_name);
    return out;
}

CPythonOutcome cpython_outcome(const model::Program& program, const CPythonRun& run) {
    CPythonOutcome out;
    Records records(run.records);
    bool deadlock = run.status == CPythonStatus::Deadlock;
    if (!records.values && !deadlock) {
        out.problem = fmt::format("python3 ended ({}) without the harness's final report", runtime::describe_wait_status(run.wait_status));
        return out;
    }
    out.inputs = records.draws;
    out.child_draws = records.child_draws;
    // A deadlocked run's shared memory dies with it: its Values and Arrays are not observed.
    out.text = state_lines(program, run, records.values.value_or(nlohmann::json::object()), out.unobserved) + records.failure_lines();
    for (const auto& line : records.prints) out.text += fmt::format("main prints: {}\n", line);
    if (deadlock) out.text += fmt::format("deadlock: {} blocked\n", fmt::join(run.unfinished, ", "));
    out.complete = true;
    return out;
}

std::string project_outcome(const std::string& text, const std::set<std::string>& unobserved) {
    if (unobserved.empty()) return text;
    std::string out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        bool drop = false;
        for (const auto& name : unobserved) drop = drop || line.rfind(name + ".value = ", 0) == 0 || line.rfind(name + " = [", 0) == 0;
        if (!drop) out += line + "\n";
    }
    return out;
}

}  // namespace critsec::compare
