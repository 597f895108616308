#pragma once
// How many generated cases a differential test runs. The sanitizer build (CI's
// second stage) runs every test again under ASan+UBSan, 5-10x slower: there the
// generated-spec tests run a fifth of their cases, enough to drive every code
// path they reach, while the optimized build keeps the full counts.
namespace critsec::test {

#ifdef CRITSEC_SANITIZED
inline constexpr int kCaseDivisor = 5;
inline constexpr bool kSanitized = true;
#else
inline constexpr int kCaseDivisor = 1;
inline constexpr bool kSanitized = false;
#endif

constexpr int generated_cases(int full) { return full / kCaseDivisor; }

// How many real runs a test makes of one spec, when what it checks must hold in every
// run or is a race most runs show (07's lost update in about a quarter of them under
// ASan, 09's garbage in nearly all): each run is a few forks, slow under ASan, and a
// fifth of them still finds what the full count finds.
constexpr int repeated_runs(int full) { return full / kCaseDivisor; }

}  // namespace critsec::test
