#include "runtime/histogram.hpp"

#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace critsec::runtime {

void Histogram::add(const RunResult& result, uint64_t run_index) {
    ++runs_;
    ++statuses_[result.status];
    for (int id : result.failed_asserts) ++assert_failures_[id];
    std::string key = result.outcome();
    auto [it, fresh] = outcomes_.try_emplace(key);
    OutcomeCount& c = it->second;
    if (fresh) {
        c.outcome = key;
        c.broke_assert = !result.failed_asserts.empty();
        c.status = result.status;
        c.first_run = run_index;
    }
    ++c.count;
}

uint64_t Histogram::assert_failures(int assert_id) const {
    auto it = assert_failures_.find(assert_id);
    return it == assert_failures_.end() ? 0 : it->second;
}

uint64_t Histogram::with_status(RunStatus status) const {
    auto it = statuses_.find(status);
    return it == statuses_.end() ? 0 : it->second;
}

std::string machine_description() {
    utsname u{};
    ::uname(&u);
    return fmt::format("{} cores, {} {} {}", ::sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release, u.machine);
}

namespace {
// "total.value = 9" before "total.value = 10": runs of digits compare as numbers.
bool natural_less(const std::string& a, const std::string& b) {
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
            size_t i2 = i, j2 = j;
            while (i2 < a.size() && std::isdigit(static_cast<unsigned char>(a[i2]))) ++i2;
            while (j2 < b.size() && std::isdigit(static_cast<unsigned char>(b[j2]))) ++j2;
            if (i2 - i != j2 - j) return i2 - i < j2 - j;
            if (int c = a.compare(i, i2 - i, b, j, j2 - j)) return c < 0;
            i = i2, j = j2;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i, ++j;
        }
    }
    return a.size() - i < b.size() - j;
}
}  // namespace

std::vector<const OutcomeCount*> Histogram::sorted() const {
    std::vector<const OutcomeCount*> out;
    for (const auto& entry : outcomes_) out.push_back(&entry.second);
    std::sort(out.begin(), out.end(), [](auto* x, auto* y) { return natural_less(x->outcome, y->outcome); });
    return out;
}

const char* Histogram::verdict(int assert_id) const {
    uint64_t failed = assert_failures(assert_id);
    return failed == 0 ? "Always" : failed == runs_ ? "Never" : "Sometimes";
}

std::string Histogram::render(const model::Program& program, const SeriesInfo& info) const {
    std::string out = fmt::format("Test {} ({}, perturb {}, time-scale {})\n", info.spec, info.mode, info.perturb, info.time_scale);
    out += fmt::format("Histogram ({} state{})\n", outcomes_.size(), outcomes_.size() == 1 ? "" : "s");
    size_t width = fmt::format("{}", runs_).size();
    for (const OutcomeCount* o : sorted()) {
        const OutcomeCount& c = *o;
        const std::string& key = c.outcome;
        char mark = c.broke_assert ? '*' : c.status == RunStatus::Ok ? ':' : '!';
        out += fmt::format("{:>{}} {}> {}   (first: run {})\n", c.count, width, mark,
                           key.empty() ? "(no shared state; main printed nothing)" : key, c.first_run);
    }
    if (!program.asserts.empty()) out += "Assertions\n";
    for (size_t i = 0; i < program.asserts.size(); ++i) {
        const auto& a = program.asserts[i];
        out += fmt::format("  {}:{} assert {}: holds {} (failed in {} of {} runs)\n", a.process, a.loc.line, a.text,
                           verdict(static_cast<int>(i)), assert_failures(static_cast<int>(i)), runs_);
    }
    for (RunStatus s : {RunStatus::Error, RunStatus::Deadlock, RunStatus::Livelock, RunStatus::Timeout})
        if (uint64_t n = with_status(s)) out += fmt::format("Runs ending in {}: {}\n", run_status_name(s), n);
    out += fmt::format("Machine: {}\n", machine_description());
    double rate = info.seconds > 0 ? static_cast<double>(runs_) / info.seconds : 0;
    out += fmt::format("Seed {}; {} runs in {:.2f} s ({:.0f} runs/s){}\n", info.seed, runs_, info.seconds, rate,
                       info.stopped.empty() ? "" : "; " + info.stopped);
    return out;
}

}  // namespace critsec::runtime

namespace critsec::runtime {

nlohmann::json Histogram::to_json(const model::Program& program, const SeriesInfo& info) const {
    nlohmann::json outcomes = nlohmann::json::array();
    for (const OutcomeCount* c : sorted())
        outcomes.push_back({{"outcome", c->outcome},
                            {"count", c->count},
                            {"status", run_status_name(c->status)},
                            {"broke_assert", c->broke_assert},
                            {"first_run", c->first_run}});
    nlohmann::json asserts = nlohmann::json::array();
    for (size_t i = 0; i < program.asserts.size(); ++i) {
        const auto& a = program.asserts[i];
        asserts.push_back({{"process", a.process},
                           {"line", a.loc.line},
                           {"text", a.text},
                           {"holds", verdict(static_cast<int>(i))},
                           {"failed_runs", assert_failures(static_cast<int>(i))}});
    }
    nlohmann::json statuses = nlohmann::json::object();
    for (const auto& [status, n] : statuses_) statuses[run_status_name(status)] = n;
    return {{"spec", info.spec},
            {"mode", info.mode},
            {"perturb", info.perturb},
            {"time_scale", info.time_scale},
            {"seed", info.seed},
            {"runs", runs_},
            {"seconds", info.seconds},
            {"interrupted", info.stopped == "interrupted"},
            {"stopped", info.stopped.empty() ? nlohmann::json(nullptr) : nlohmann::json(info.stopped)},
            {"machine", machine_description()},
            {"outcomes", outcomes},
            {"asserts", asserts},
            {"statuses", statuses}};
}

}  // namespace critsec::runtime
