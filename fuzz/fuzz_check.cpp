// libFuzzer target over the checker: the bytes become a valid spec (a mutated
// corpus spec, or a generator's choices), then check, outcomes and the claims
// run on tiny budgets (fuzz/exercise_check.hpp). A crash, a sanitizer report,
// an uncaught exception or internal text in what the engines say is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz/exercise_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    critsec::fuzz::FuzzRun run = critsec::fuzz::exercise_check(data, size);
    if (!run.finding.empty()) {
        std::fprintf(stderr, "fuzz_check finding: %s\nspec:\n%s\n", run.finding.c_str(), run.spec.c_str());
        std::abort();
    }
    return 0;
}
