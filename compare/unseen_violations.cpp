#include "compare/unseen_violations.hpp"

#include <fmt/format.h>

#include "checker/engines.hpp"
#include "checker/input_errors.hpp"

namespace critsec::compare {

namespace {

// How many of the runs showed the property violated (for a lost update, 0 or 1:
// the logs are looked at until one shows it); nullopt for a property runs do not observe.
std::optional<uint64_t> times_seen(const model::Program& program, const runtime::Histogram& runs, const RunObservations& observed,
                                   const checker::PropertyResult& p) {
    switch (p.kind) {
        case checker::PropertyKind::Assert: {
            int line = std::stoi(p.key.substr(p.key.find('@') + 1));
            uint64_t failed = 0;
            for (size_t i = 0; i < program.asserts.size(); ++i)
                if (program.asserts[i].loc.line == line) failed += runs.assert_failures(static_cast<int>(i));
            return failed;
        }
        case checker::PropertyKind::LostUpdate: {
            std::optional<bool> seen = observed.lost_update_seen();
            if (!seen) return std::nullopt;
            return *seen ? 1 : 0;
        }
        case checker::PropertyKind::Deadlock: return runs.with_status(runtime::RunStatus::Deadlock);
        case checker::PropertyKind::RuntimeError: return runs.with_status(runtime::RunStatus::Error);
        default: return std::nullopt;
    }
}

// What a run that showed it did, for "none of these runs ...".
std::string name_of(const checker::PropertyResult& p) {
    switch (p.kind) {
        case checker::PropertyKind::Assert: return fmt::format("broke the assert at line {}", p.key.substr(p.key.find('@') + 1));
        case checker::PropertyKind::LostUpdate: return "lost an update";
        case checker::PropertyKind::Deadlock: return "deadlocked";
        default: return "ended in a runtime error";
    }
}

}  // namespace

std::vector<UnseenViolation> unseen_violations(const model::Program& program, const runtime::Histogram& runs,
                                               const RunObservations& observed, const checker::Budget& budget) {
    checker::ExplorerSettings settings;
    settings.options.budget = &budget;
    settings.max_states = 200'000;
    checker::SpecCheck check;
    try {
        check = checker::check_spec(program, settings, checker::Engine::Explorer);
    } catch (const checker::InputOutOfRange&) {
        return {};
    }
    std::vector<UnseenViolation> out;
    for (const auto& p : check.properties) {
        if (p.verdict != checker::Verdict::Violated) continue;
        if (p.kind == checker::PropertyKind::Assert && p.key.find('@') == std::string::npos) continue;
        std::optional<uint64_t> seen = times_seen(program, runs, observed, p);
        if (seen && *seen == 0) out.push_back({p.key, name_of(p), p.detail});
    }
    return out;
}

}  // namespace critsec::compare
