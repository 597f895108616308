#include "checker/witness/violation.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "model/semantics.hpp"

namespace critsec::checker {
namespace {

std::string stale_text(const TraceStep& s) { return fmt::format("{} {}: {}", s.process, s.step, s.action); }

int last_row_of(const Replayed& r, int instance) {
    for (int i = static_cast<int>(r.witness.steps.size()) - 1; i >= 0; --i)
        if (r.witness.steps[i].instance == instance) return i;
    return -1;
}

// The line of `text` that starts with `prefix`, or "".
std::string line_starting(const std::string& text, const std::string& prefix) {
    size_t at = text.rfind("\n" + prefix);
    size_t start = text.compare(0, prefix.size(), prefix) == 0 ? 0 : at == std::string::npos ? std::string::npos : at + 1;
    if (start == std::string::npos) return "";
    return text.substr(start, text.find('\n', start) - start);
}

// Who is left unfinished at the end, and whoever holds what they wait for: their last rows.
std::vector<int> stuck_rows(const model::Program& program, const Replayed& r) {
    std::vector<int> rows;
    if (r.worlds.empty()) return rows;
    const model::MemoryWorld& end = r.worlds.back();
    auto add = [&](int instance) {
        int row = last_row_of(r, instance);
        if (row >= 0 && std::find(rows.begin(), rows.end(), row) == rows.end()) rows.push_back(row);
    };
    for (const auto& p : end.processes) {
        if (p.finished) continue;
        add(p.instance);
        auto w = model::waiting_for(program, p);
        if (!w) continue;
        if (w->kind == model::Waiting::Kind::Join) add(w->child);
        else if (end.holder[w->object] >= 0) add(end.holder[w->object]);
    }
    return rows;
}

}  // namespace

std::vector<int> violation_rows(const model::Program& program, const Violation& v, const Replayed& r) {
    std::vector<int> rows;
    const auto& steps = r.witness.steps;
    for (size_t i = 0; i < r.effects.size() && i < steps.size() && rows.empty(); ++i) {
        const RowEffects& e = r.effects[i];
        int row = static_cast<int>(i);
        if (v.kind == PropertyKind::Assert && e.failed_assert >= 0 && program.asserts.at(e.failed_assert).loc.line == v.assert_line)
            rows.push_back(row);
        if (v.kind == PropertyKind::RuntimeError && e.runtime_error == v.failure) rows.push_back(row);
        if (v.kind == PropertyKind::LostUpdate && steps[i].lost_write && stale_text(steps[i]) == v.stale_store) {
            rows.push_back(row);
            if (steps[i].overwrites >= 0) rows.push_back(steps[i].overwrites);
        }
    }
    if (v.kind == PropertyKind::Deadlock && !v.deadlock.empty() && line_starting(r.outcome, "deadlock: ") == v.deadlock) {
        rows = stuck_rows(program, r);
        if (rows.empty() && !steps.empty()) rows.push_back(static_cast<int>(steps.size()) - 1);
    }
    if (v.kind == PropertyKind::Progress && r.witness.cycle_from >= 0) {
        rows = stuck_rows(program, r);
        for (int i = r.witness.cycle_from; i < static_cast<int>(steps.size()); ++i)
            if (std::find(rows.begin(), rows.end(), i) == rows.end()) rows.push_back(i);
    }
    return rows;
}

std::optional<Violation> violation_shown(const model::Program& program, const PropertyResult& result, const Replayed& r) {
    Violation v;
    v.kind = result.kind;
    const auto& steps = r.witness.steps;
    switch (result.kind) {
        case PropertyKind::Assert: {
            size_t at = result.key.find('@');
            if (at == std::string::npos) return std::nullopt;
            v.assert_line = std::atoi(result.key.c_str() + at + 1);
            break;
        }
        case PropertyKind::RuntimeError: {
            // The error the verdict names, else the first the witness shows.
            for (const auto& e : r.effects)
                if (!e.runtime_error.empty() && (v.failure.empty() || e.runtime_error == result.detail)) v.failure = e.runtime_error;
            break;
        }
        case PropertyKind::LostUpdate:
            for (const auto& s : steps)
                if (s.lost_write && v.stale_store.empty()) v.stale_store = stale_text(s);
            break;
        case PropertyKind::Deadlock: v.deadlock = line_starting(r.outcome, "deadlock: "); break;
        case PropertyKind::Progress: break;
        default: return std::nullopt;
    }
    if (!r.ok || violation_rows(program, v, r).empty()) return std::nullopt;
    return v;
}

}  // namespace critsec::checker
