// libFuzzer target comparing the engines: a small generated spec (the bytes are
// the generator's choices), the explorer against the Z3 encoding, the inductive
// engine, the shape proofs and the compiled outcome search (fuzz/exercise_check.hpp).
// Where both sides decide, a disagreement aborts with the spec printed.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz/exercise_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    critsec::fuzz::FuzzRun run = critsec::fuzz::exercise_differential(data, size);
    if (!run.finding.empty()) {
        std::fprintf(stderr, "fuzz_differential disagreement:\n%s\nspec:\n%s\n", run.finding.c_str(), run.spec.c_str());
        std::abort();
    }
    return 0;
}
