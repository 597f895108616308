#pragma once
// The run's real interleaving: every shared step writes (instance, pc, what it
// did) at its global sequence number into the arena, from whichever process took
// it; the supervisor reads it back after the run, and draws it as a sequence chart.
#include <cstdint>
#include <string>
#include <vector>

#include "chart/sequence_chart.hpp"
#include "model/semantics.hpp"
#include "runtime/arena.hpp"

namespace critsec::runtime {

struct LoggedEvent {
    uint64_t seq;
    int instance;
    int pc;
    std::string what;
    int step = 0;  // as `critsec show` numbers the process's steps (0: none)
};

void record_event(const Arena& arena, uint64_t seq, const model::Event& event, int step);

struct EventLogContents {
    std::vector<LoggedEvent> events;  // by sequence number
    uint64_t steps = 0;               // steps the run took
    uint64_t dropped = 0;             // steps past the log's capacity
};
EventLogContents read_event_log(const Arena& arena);

// The run as the chart every command draws (chart/): a row per logged step,
// numbered and with its step's number as the checker's charts have them, no
// shared state (the log does not keep it).
chart::Trace trace_of_events(const std::vector<LoggedEvent>& events, const std::vector<std::string>& names);
std::string render_sequence_chart(const std::vector<LoggedEvent>& events, const std::vector<std::string>& names,
                                  const chart::Layout& layout = {});

}  // namespace critsec::runtime
