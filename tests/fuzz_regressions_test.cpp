// Every input the fuzzer ever crashed or hung on (tests/fuzz_regressions/) and
// its seed corpus (fuzz/corpus/) go through what the fuzz target does; each must
// end with a model or with diagnostics. A hang would show as ctest's timeout.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz/exercise_frontend.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;

TEST_CASE("fuzz regressions and seed corpus: the front end ends with a model or diagnostics") {
    int inputs = 0;
    for (const char* dir : {"tests/fuzz_regressions", "fuzz/corpus"}) {
        for (const auto& entry : std::filesystem::directory_iterator(test::source_path(dir))) {
            std::ifstream in(entry.path(), std::ios::binary);
            std::stringstream bytes;
            bytes << in.rdbuf();
            INFO(entry.path().string());
            Compiled c = fuzz::exercise_frontend(bytes.str());
            CHECK((c.program || !c.diagnostics.empty()));
            ++inputs;
        }
    }
    CHECK(inputs >= 10);
}
