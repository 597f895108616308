#include "cli/load_spec.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.hpp"

namespace critsec::cli {

bool unreadable(const Compiled& compiled) { return !compiled.diagnostics.empty() && compiled.diagnostics.front().loc.line == 0; }

std::string cannot_read(const std::string& path, const Compiled& compiled) {
    return fmt::format("critsec: cannot read {}: {}\n", path, compiled.diagnostics.front().message);
}

std::optional<Compiled> load_spec(const std::string& path, Format format, int& exit_status) {
    Compiled compiled = compile_file(path);
    bool cannot = unreadable(compiled);
    if (!compiled.diagnostics.empty()) {
        if (cannot) fmt::print(stderr, "{}", cannot_read(path, compiled));
        else fmt::print(stderr, "{}", render_all(compiled.source, compiled.diagnostics));
        if (format == Format::Json) {
            nlohmann::json errors = nlohmann::json::array();
            for (const auto& d : compiled.diagnostics)
                errors.push_back({{"file", path},
                                  {"line", d.loc.line},
                                  {"column", d.loc.col},
                                  {"severity", d.severity == Severity::Error ? "error" : "warning"},
                                  {"message", d.message},
                                  {"hint", d.hint}});
            fmt::print("{}\n", nlohmann::json{{"spec", path}, {"diagnostics", errors}}.dump(2));
        }
    }
    if (!compiled.program) {
        exit_status = cannot ? exit_code::no_input : exit_code::data_error;
        return std::nullopt;
    }
    return compiled;
}

}  // namespace critsec::cli
