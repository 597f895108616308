#pragma once
// How many generated cases a differential test runs. The sanitizer build (CI's
// second stage) runs every test again under ASan+UBSan, 5-10x slower: there the
// generated-spec tests run a fifth of their cases, enough to drive every code
// path they reach, while the optimized build keeps the full counts.
#include <string_view>

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

// 09's outcomes take the explorer 790,000 states: seconds in the optimized build, a minute
// per test under the sanitizers, where eight tests that enumerated them were half of the
// stage's time. There, the tests over every tutorial spec leave 09 out, and the tests about
// 09 alone run in the optimized build only, but for explorer_test's `09 reaches the
// tutorial's 71`, which keeps the file steps under the sanitizers (the file tests too).
inline bool too_slow_under_sanitizers(std::string_view spec_path) {
    return kSanitized && spec_path.find("09_file_race") != std::string_view::npos;
}

}  // namespace critsec::test
