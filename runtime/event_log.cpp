#include "runtime/event_log.hpp"

#include <algorithm>
#include <cstring>

namespace critsec::runtime {

void record_event(const Arena& arena, uint64_t seq, const model::Event& event, int step) {
    if (seq >= static_cast<uint64_t>(arena.event_capacity())) return;
    EventRecord& r = arena.events()[seq];
    r.instance = event.instance;
    r.pc = event.pc;
    r.step = step;
    size_t n = std::min(event.what.size(), static_cast<size_t>(kWhatBytes - 1));
    std::memcpy(r.what, event.what.data(), n);
    r.what[n] = '\0';
    r.seq_plus_one.store(seq + 1, std::memory_order_release);
}

EventLogContents read_event_log(const Arena& arena) {
    EventLogContents out;
    out.steps = arena.header().seq.load();
    uint64_t cap = static_cast<uint64_t>(arena.event_capacity());
    uint64_t n = std::min(out.steps, cap);
    out.dropped = out.steps - n;
    for (uint64_t i = 0; i < n; ++i) {
        const EventRecord& r = arena.events()[i];
        if (r.seq_plus_one.load(std::memory_order_acquire) != i + 1) continue;  // a step cut short by a kill
        out.events.push_back(LoggedEvent{i, r.instance, r.pc, r.what, r.step});
    }
    return out;
}

chart::Trace trace_of_events(const std::vector<LoggedEvent>& events, const std::vector<std::string>& names) {
    auto name_of = [&](int instance) {
        return instance >= 0 && instance < static_cast<int>(names.size()) ? names[instance] : "#" + std::to_string(instance);
    };
    chart::Trace t;
    std::vector<int> used;
    for (const auto& e : events)
        if (std::find(used.begin(), used.end(), e.instance) == used.end()) used.push_back(e.instance);
    std::sort(used.begin(), used.end());
    for (int i : used) t.processes.push_back(name_of(i));
    for (const auto& e : events) {
        chart::Row row;
        row.process = name_of(e.instance);
        row.step = e.step > 0 ? std::to_string(e.step) + ": " + e.what : e.what;
        if (e.what.rfind("error:", 0) == 0) row.mark = chart::Mark::Failed;
        // Numbered from 1, as the checker numbers the rows of a witness, so that
        // a note "overwritten at row 6" names the same step in both charts.
        row.number = std::to_string(e.seq + 1);
        t.rows.push_back(std::move(row));
    }
    return t;
}

std::string render_sequence_chart(const std::vector<LoggedEvent>& events, const std::vector<std::string>& names, const chart::Layout& layout) {
    return chart::render_text(trace_of_events(events, names), layout);
}

}  // namespace critsec::runtime
