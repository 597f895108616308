#pragma once
// Limits that protect a shared teaching machine from an untrusted spec. The
// lowering enforces them; `critsec run` sizes its process cap from them. They
// live apart from the front end so that the lowering needs no frontend.hpp
// (which includes the lowering).

namespace critsec {

inline constexpr int kMaxInstances = 256;                // processes a spec may create (main not counted)
inline constexpr int kMaxProcesses = kMaxInstances + 1;  // the same cap with main counted: `critsec run --max-procs`
inline constexpr int kMaxRangeIterations = 1000;         // iterations of one static `for` range

}  // namespace critsec
