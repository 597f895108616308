#include "compare/cpython_outcome.hpp"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
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

// `X failed: E` lines: main's, then each child's in the order they were started.
std::string failure_lines(const nlohmann::json& end, const std::map<std::string, std::string>& failed) {
    std::string out;
    if (end["main_failure"].is_string()) out += fmt::format("main failed: {}\n", end["main_failure"].get<std::string>());
    std::set<std::string> told;
    for (const auto& label : end["started"]) {
        if (!label.is_string()) continue;
        auto it = failed.find(label.get<std::string>());
        if (it != failed.end() && told.insert(it->first).second) out += fmt::format("{} failed: {}\n", it->first, it->second);
    }
    for (const auto& [label, error] : failed)  // started by a child, if ever: after the others
        if (!told.count(label)) out += fmt::format("{} failed: {}\n", label, error);
    return out;
}

bool well_formed(const nlohmann::json& end) {
    return end["draws"].is_array() && end["prints"].is_array() && end["values"].is_object() && end["started"].is_array() &&
           (end["main_failure"].is_null() || end["main_failure"].is_string());
}

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
    nlohmann::json end;
    std::map<std::string, std::string> failed;
    for (const auto& line : run.records) {
        nlohmann::json r = nlohmann::json::parse(line, nullptr, false);
        if (r.is_object() && r.contains("failed") && r["failed"].is_string() && r["error"].is_string())
            failed.emplace(r["failed"].get<std::string>(), r["error"].get<std::string>());
        else if (r.is_object() && r.contains("end") && well_formed(r)) end = std::move(r);
    }
    if (end.is_null()) {
        out.problem = fmt::format("python3 ended ({}) without the harness's final report", runtime::describe_wait_status(run.wait_status));
        return out;
    }
    for (const auto& d : end["draws"])
        if (d.is_number_integer()) out.inputs.push_back(d.get<int64_t>());
    out.text = state_lines(program, run, end["values"], out.unobserved) + failure_lines(end, failed);
    for (const auto& line : end["prints"])
        if (line.is_string()) out.text += fmt::format("main prints: {}\n", line.get<std::string>());
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
