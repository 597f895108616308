#pragma once
// The process exit codes of `critsec`, sysexits-style. The only place they are defined.
namespace critsec::exit_code {

inline constexpr int ok = 0;            // every property holds / every observed outcome predicted
inline constexpr int violated = 1;      // a property violated, or an unpredicted outcome observed
inline constexpr int inconclusive = 2;  // bounded, unknown or timeout
// `critsec grade`: every submission got full marks (ok), some lost points or were not graded
// for their own reasons (errors in the spec, out of budget), or the grader failed on one.
inline constexpr int grade_points_lost = 1;
inline constexpr int grade_infrastructure = 3;  // the grader crashed on a submission, or the system refused a child
inline constexpr int usage = 64;        // EX_USAGE: bad command line
inline constexpr int data_error = 65;   // EX_DATAERR: an error in the spec
inline constexpr int no_input = 66;     // EX_NOINPUT: the spec file cannot be read
inline constexpr int unavailable = 69;  // EX_UNAVAILABLE: a tool the command needs is missing (python3 for compare --cpython)
inline constexpr int internal = 70;     // EX_SOFTWARE: a bug in critsec
inline constexpr int os_error = 71;     // EX_OSERR: the system refused (an unusable $TMPDIR, fork, a mapping)
inline constexpr int cant_create = 73;  // EX_CANTCREAT: an output file asked for (--chart svg FILE) cannot be written

}  // namespace critsec::exit_code
