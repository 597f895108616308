#include "cli/load_spec.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.hpp"

namespace critsec::cli {

std::optional<Compiled> load_spec(const std::string& path, Format format, int& exit_status) {
    Compiled compiled = compile_file(path);
    bool unreadable = !compiled.diagnostics.empty() && compiled.diagnostics.front().loc.line == 0;
    if (!compiled.diagnostics.empty()) {
        if (unreadable) fmt::print(stderr, "critsec: cannot read {}\n", path);
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
        exit_status = unreadable ? exit_code::no_input : exit_code::data_error;
        return std::nullopt;
    }
    return compiled;
}

}  // namespace critsec::cli
