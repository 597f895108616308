#include "model/frontend.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "model/lexer.hpp"
#include "model/lower.hpp"
#include "model/parser.hpp"
#include "model/python/reader.hpp"
#include "model/spec_file.hpp"

namespace critsec {

// Specs are small; a huge file is a mistake (or an attack), not a spec.
static constexpr size_t kMaxSpecBytes = 1 << 20;

Dialect dialect_of(const std::string& path) {
    return path.size() >= 3 && path.compare(path.size() - 3, 3, ".py") == 0 ? Dialect::Python : Dialect::Crit;
}

Compiled compile_file(const std::string& path) {
    SpecFileText file = read_spec_file(path, kMaxSpecBytes);
    if (!file.text) {
        Compiled c{SourceFile(path, ""), {}, {}, std::nullopt, {}};
        c.diagnostics.push_back({Severity::Error, {0, 0}, 1, file.why_not, "check the path"});
        return c;
    }
    return compile_source(path, std::move(*file.text));
}

Compiled compile_source(std::string path, std::string text) {
    Compiled c{SourceFile(std::move(path), std::move(text)), {}, {}, std::nullopt, {}};
    if (c.source.text().size() > kMaxSpecBytes) {
        c.diagnostics.push_back({Severity::Error, {1, 1}, 1, fmt::format("the spec is larger than {} bytes", kMaxSpecBytes), ""});
        return c;
    }
    if (c.source.text().find('\0') != std::string::npos) {
        size_t at = c.source.text().find('\0');
        int line = 1, col = 1;
        for (size_t i = 0; i < at; ++i) {
            if (c.source.text()[i] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        c.diagnostics.push_back({Severity::Error, {line, col}, 1, "the spec contains a NUL byte", "is this a text file?"});
        return c;
    }
    Dialect dialect = dialect_of(c.source.path());
    LexResult lexed = lex(c.source, dialect);
    c.tokens = std::move(lexed.tokens);
    c.diagnostics = std::move(lexed.diagnostics);
    ParseResult parsed = parse(c.tokens, dialect);
    c.module = std::move(parsed.module);
    for (auto& d : parsed.diagnostics) c.diagnostics.push_back(std::move(d));
    // Lowering a tree with syntax errors would only add noise about the same lines.
    if (has_errors(c.diagnostics)) {
        keep_within_error_limit(c.diagnostics);
        return c;
    }
    auto in_source_order = [&] {
        std::stable_sort(c.diagnostics.begin(), c.diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
            return a.loc.line != b.loc.line ? a.loc.line < b.loc.line : a.loc.col < b.loc.col;
        });
    };
    if (dialect == Dialect::Python) {
        PythonReadResult read = read_python(std::move(c.module));
        c.module = std::move(read.module);
        for (auto& d : read.diagnostics) c.diagnostics.push_back(std::move(d));
        in_source_order();
        // What the reader could not read would come back from the lowering as noise.
        if (has_errors(c.diagnostics)) {
            keep_within_error_limit(c.diagnostics);
            return c;
        }
    }
    LowerResult lowered = lower(c.module, c.source.path());
    for (auto& d : lowered.diagnostics) c.diagnostics.push_back(std::move(d));
    in_source_order();
    keep_within_error_limit(c.diagnostics);
    if (!has_errors(c.diagnostics)) c.program = std::move(lowered.program);
    return c;
}

}  // namespace critsec
