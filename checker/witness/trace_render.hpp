#pragma once
// How a replayed witness is shown: as the chart every command draws (chart/)
// and as Apalache's Informal Trace Format (ITF) JSON, so that existing trace
// readers work. Both engines' witnesses are shown through here.
#include <string>

#include <nlohmann/json.hpp>

#include "chart/sequence_chart.hpp"
#include "checker/explorer/replay.hpp"

namespace critsec::checker {

// The witness as the one chart every command draws: the state a row changes,
// the lost and stale marks with their notes, who waits for what when nobody can move.
// `program` is the prepared program the witness was replayed on (its pcs).
chart::Trace trace_of(const model::Program& program, const Replayed& replayed);
std::string render_chart(const model::Program& program, const Replayed& replayed, const chart::Layout& layout = {});

// ITF: vars are the shared objects (by name), `pc` (each process's next step),
// `action` and `actor` (the step that led to the state); integers as {"#bigint": ".."}.
nlohmann::json render_itf(const model::Program& program, const Replayed& replayed, const std::string& description);

// Convenience for either engine's witness on the spec's program: replays it
// (throws std::runtime_error when it does not replay), then renders.
std::string chart_of(const model::Program& program, const Witness& witness, const chart::Layout& layout = {});
chart::Trace trace_for(const model::Program& program, const Witness& witness);
nlohmann::json itf_of(const model::Program& program, const Witness& witness, const std::string& description);

}  // namespace critsec::checker
