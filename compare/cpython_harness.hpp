#pragma once
// The Python side of `critsec compare --cpython`: a small harness that runs a
// program once under python3 and reports, one JSON object a line on fd 3, as
// it happens, what critsec's outcomes describe (main's draws, its starts, its
// prints once every child it started was joined, failures by process label,
// each process's end and sleeps, and at the end the final values of the shared
// Values and Arrays named in __main__'s globals); the record kinds are listed
// at the top of the harness. It ships inside the binary, so that the command
// works from any folder without the source tree.
//
// Invoked as: python3 -I -B -c SOURCE PROGRAM SEED TIME_SCALE DRAWS OBSERVE
//   DRAWS    main's randint draws, space-separated, or "-" to draw from SEED
//   OBSERVE  the Value and Array names to report, comma-separated
namespace critsec::compare {

const char* cpython_harness_source();

// The fd the harness writes its records to (the child's copy of a pipe).
inline constexpr int kHarnessReportFd = 3;

}  // namespace critsec::compare
