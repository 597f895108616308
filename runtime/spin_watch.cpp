#include "runtime/spin_watch.hpp"

#include <algorithm>
#include <cstring>

namespace critsec::runtime {

namespace {

constexpr size_t kQuotedSteps = 4;   // a description quotes at most this many distinct steps
constexpr size_t kQuotedBytes = 48;  // of at most this many bytes each

bool same_file(const model::OpenFile& a, const model::OpenFile& b) {
    return a.object == b.object && a.mode == b.mode && a.offset == b.offset && a.open == b.open && a.world_handle == b.world_handle &&
           a.ahead == b.ahead && a.buffered == b.buffered;
}

bool same_read(const std::optional<model::ReadInProgress>& a, const std::optional<model::ReadInProgress>& b) {
    if (a.has_value() != b.has_value()) return false;
    return !a || (a->got == b->got && a->raw == b->raw && a->sampled == b->sampled);
}

bool same_created(const model::CreatedProcess& a, const model::CreatedProcess& b) {
    return a.instance == b.instance && a.label == b.label && a.process == b.process && a.args == b.args && a.started == b.started &&
           a.joined == b.joined;
}

// Where, a newline, then what the round does: "at line 4\nre-reads ready.value = 0",
// "at lines 6-7\nrepeats store x.value = 1 and load y.value = 0".
std::string description(int first_line, int last_line, const std::vector<std::string>& steps) {
    std::string out = first_line == last_line ? "at line " + std::to_string(first_line)
                                              : "at lines " + std::to_string(first_line) + "-" + std::to_string(last_line);
    if (steps.empty()) return out;
    bool only_loads = std::all_of(steps.begin(), steps.end(), [](const std::string& s) { return s.rfind("load ", 0) == 0; });
    out += only_loads ? "\nre-reads " : "\nrepeats ";
    for (size_t i = 0; i < steps.size(); ++i) out += (i ? " and " : "") + (only_loads ? steps[i].substr(5) : steps[i]);
    return out;
}

}  // namespace

bool same_process_state(const model::ProcessState& a, const model::ProcessState& b) {
    return a.pc == b.pc && a.draws == b.draws && a.finished == b.finished && a.error == b.error && a.locals == b.locals &&
           a.globals == b.globals && a.held_by_with == b.held_by_with && a.created_per_process == b.created_per_process &&
           std::equal(a.files.begin(), a.files.end(), b.files.begin(), b.files.end(), same_file) &&
           std::equal(a.created.begin(), a.created.end(), b.created.begin(), b.created.end(), same_created) &&
           same_read(a.reading, b.reading);
}

void SpinWatch::before_step(const Arena& arena, const model::ProcessState& state) {
    if (!saved_) {
        power_ = 1;
        save(state, arena.header().changes.load());
        return;
    }
    ++steps_;
    if (state.pc == saved_state_.pc && same_process_state(state, saved_state_)) {
        steps_ = 0;
        round_closed(arena, state.instance);
        return;
    }
    if (steps_ < power_) return;
    power_ = std::min(power_ * 2, kLongestSpin);
    save(state, arena.header().changes.load());
}

void SpinWatch::save(const model::ProcessState& state, uint64_t changes) {
    saved_state_ = state;
    saved_changes_ = changes;
    saved_ = true;
    steps_ = 0;
    describing_ = false;
}

// The saved state came back.
void SpinWatch::round_closed(const Arena& arena, int instance) {
    uint64_t changes = arena.header().changes.load();
    if (changes != saved_changes_) {  // not a proof: something changed during the round; the next one may be
        saved_changes_ = changes;
        describing_ = false;
        return;
    }
    if (arena.slot(instance).spin_epoch.load(std::memory_order_relaxed) == changes + 1) return;  // proven already
    if (!describing_) {
        describing_ = true;
        first_line_ = last_line_ = 0;
        steps_seen_.clear();
        return;
    }
    describing_ = false;
    publish(arena, instance, changes);
}

void SpinWatch::after_step(const model::Program& program, const model::ProcessState& state, const model::Event& event) {
    if (!describing_) return;
    const auto& code = model::template_of(program, state).code;
    if (event.pc >= 0 && event.pc < static_cast<int>(code.size())) {
        int line = code[event.pc].loc.line;
        first_line_ = first_line_ == 0 ? line : std::min(first_line_, line);
        last_line_ = std::max(last_line_, line);
    }
    std::string what = event.what.size() > kQuotedBytes ? event.what.substr(0, kQuotedBytes - 3) + "..." : event.what;
    if (steps_seen_.size() < kQuotedSteps && std::find(steps_seen_.begin(), steps_seen_.end(), what) == steps_seen_.end())
        steps_seen_.push_back(std::move(what));
}

void SpinWatch::publish(const Arena& arena, int instance, uint64_t changes) const {
    InstanceSlot& slot = arena.slot(instance);
    std::string text = description(first_line_, last_line_, steps_seen_);
    size_t n = std::min(text.size(), static_cast<size_t>(kSpinBytes - 1));
    // The watchdog reads the epoch, then the text, then the epoch again: withdrawn first.
    slot.spin_epoch.store(0);
    std::memcpy(slot.spin, text.data(), n);
    slot.spin[n] = '\0';
    slot.spin_epoch.store(changes + 1);
}

}  // namespace critsec::runtime
