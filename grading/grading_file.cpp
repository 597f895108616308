#include "grading/grading_file.hpp"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace critsec::grading {
namespace {

std::string trim(std::string_view s) {
    size_t a = s.find_first_not_of(" \t\r");
    size_t b = s.find_last_not_of(" \t\r");
    return a == std::string_view::npos ? "" : std::string(s.substr(a, b - a + 1));
}

template <typename T>
std::optional<T> number(const std::string& text) {
    T value{};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// What a line of the file states, or the diagnostic that rejects it.
class Reader {
public:
    explicit Reader(LoadedGrading& out) : out_(out) {}

    void line(int n, const std::string& raw) {
        std::string body = trim(raw);
        if (body.empty() || body[0] == '#') return;
        Loc loc{n, static_cast<int>(raw.find_first_not_of(" \t")) + 1};
        width_ = static_cast<int>(body.size());
        static const std::regex claim_re(R"(^claim\s+(\d+)\s*:\s*(.+)$)");
        static const std::regex keyed_re(R"(^([a-z-]+)\s*:\s*(.*)$)");
        std::smatch m;
        if (std::regex_match(body, m, claim_re)) return claim(loc, m[1], m[2]);
        if (!std::regex_match(body, m, keyed_re)) return error(loc, fmt::format("cannot read `{}`", body));
        std::string key = m[1], value = trim(m[2].str());
        if (key == "hint") return hint(loc, value);
        if (key == "title") out_.file.title = value;
        else if (key == "timeout") setting(loc, value, out_.file.seconds, 0.1, 86400.0);
        else if (key == "max-states") setting(loc, value, out_.file.max_states, size_t{1}, size_t{100'000'000});
        else if (key == "fixed-inputs") fixed_inputs(loc, value);
        else if (key == "require") require(loc, value);
        else if (key == "forbid") forbid(loc, value);
        else error(loc, fmt::format("unknown key `{}`", key));
        if (key != "require" && key != "forbid") last_hint_ = nullptr;
    }

private:
    void claim(Loc loc, const std::string& points, const std::string& text) {
        auto p = number<int>(points);
        if (!p || *p > 1000) return error(loc, fmt::format("`{}` points: a claim earns 0 to 1000 points", points));
        auto parsed = parse_claim_text(text, loc, width_);
        if (auto* d = std::get_if<Diagnostic>(&parsed)) return out_.diagnostics.push_back(std::move(*d));
        out_.file.claims.push_back({std::get<Expectation>(parsed), trim(text), *p, ""});
        last_hint_ = &out_.file.claims.back().hint;
    }

    void require(Loc loc, const std::string& text) {
        static const std::regex min_re(R"(^min-outcomes\s*:\s*(\d+)$)");
        std::smatch m;
        if (std::regex_match(text, m, min_re)) {
            auto count = number<long>(m[1]);
            if (!count) return error(loc, fmt::format("`{}`: the count is too large", text));
            return add({MinOutcomes{*count}, text, "", loc.line});
        }
        auto parsed = parse_claim_text(text, loc, width_);
        if (auto* d = std::get_if<Diagnostic>(&parsed)) return out_.diagnostics.push_back(std::move(*d));
        add({std::get<Expectation>(parsed), text, "", loc.line});
    }

    void forbid(Loc loc, const std::string& text) {
        for (Construct c : {Construct::JoinBeforeStart, Construct::Locks})
            if (text == construct_name(c)) return add({c, "forbid: " + text, "", loc.line});
        error(loc, fmt::format("cannot forbid `{}`", text), "forbid: join-before-start, or forbid: locks");
    }

    void add(Requirement r) {
        out_.file.requirements.push_back(std::move(r));
        last_hint_ = &out_.file.requirements.back().hint;
    }

    void hint(Loc loc, const std::string& text) {
        if (!last_hint_) return error(loc, "a hint belongs under a claim, a requirement or a forbid line");
        *last_hint_ += (last_hint_->empty() ? "" : " ") + text;
    }

    template <typename T>
    void setting(Loc loc, const std::string& text, std::optional<T>& into, T low, T high) {
        auto v = number<T>(text);
        if (!v || *v < low || *v > high) return error(loc, fmt::format("`{}`: expected a number from {} to {}", text, low, high));
        into = *v;
    }

    void fixed_inputs(Loc loc, const std::string& text) {
        std::istringstream in(text);
        std::vector<long long> values;
        for (std::string word; in >> word;) {
            auto v = number<long long>(word);
            if (!v) return error(loc, fmt::format("`{}` is not an integer", word), "fixed-inputs: 3 4 1 2");
            values.push_back(*v);
        }
        out_.file.fixed_inputs = values;
    }

    void error(Loc loc, std::string message, std::string hint = "see docs/grading.md for the lines a grading file holds") {
        out_.diagnostics.push_back({Severity::Error, loc, width_, std::move(message), std::move(hint)});
    }

    LoadedGrading& out_;
    int width_ = 1;
    std::string* last_hint_ = nullptr;  // pointers into vectors: taken after the push_back, and only until the next one
};

}  // namespace

int GradingFile::max_score() const {
    int total = 0;
    for (const auto& c : claims) total += c.points;
    return total;
}

const char* construct_name(Construct c) {
    switch (c) {
        case Construct::JoinBeforeStart: return "join-before-start";
        case Construct::Locks: return "locks";
    }
    return "?";
}

LoadedGrading parse_grading_file(std::string path, std::string text) {
    LoadedGrading out{SourceFile(path, std::move(text)), {}, {}};
    out.file.path = std::move(path);
    Reader reader(out);
    for (int n = 1; n <= out.source.line_count(); ++n) reader.line(n, std::string(out.source.line(n)));
    if (out.diagnostics.empty() && out.file.claims.empty())
        out.diagnostics.push_back({Severity::Error, Loc{1, 1}, 1, "the grading file has no claim", "claim 4: assert: PROVED"});
    return out;
}

LoadedGrading load_grading_file(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::string file = fs::is_directory(path, ec) ? (fs::path(path) / "grading.txt").string() : path;
    std::ifstream in(file, std::ios::binary);
    if (!in || fs::is_directory(file, ec)) {
        LoadedGrading out{SourceFile(file, ""), {}, {}};
        out.diagnostics.push_back({Severity::Error, Loc{0, 0}, 1, "cannot read the grading file", ""});
        return out;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_grading_file(file, text.str());
}

}  // namespace critsec::grading
