#pragma once
// How a replayed witness is shown: a sequence chart (one column per process,
// one row per step, the shared state after each step, the lost write marked)
// and Apalache's Informal Trace Format (ITF) JSON, so that existing trace
// readers work. Both engines' witnesses are shown through here.
#include <string>

#include <nlohmann/json.hpp>

#include "checker/explorer/replay.hpp"

namespace critsec::checker {

// `program` is the prepared program the witness was replayed on (its pcs).
std::string render_chart(const model::Program& program, const Replayed& replayed);

// ITF: vars are the shared objects (by name), `pc` (each process's next step),
// `action` and `actor` (the step that led to the state); integers as {"#bigint": ".."}.
nlohmann::json render_itf(const model::Program& program, const Replayed& replayed, const std::string& description);

// Convenience for either engine's witness on the spec's program: replays it
// (throws std::runtime_error when it does not replay), then renders.
std::string chart_of(const model::Program& program, const Witness& witness);
nlohmann::json itf_of(const model::Program& program, const Witness& witness, const std::string& description);

}  // namespace critsec::checker
