// Every input the fuzzers ever crashed or hung on (tests/fuzz_regressions/) and
// their seed corpora go through what the fuzz targets do. A crasher's extension
// names its target: `.crit` the front end (fuzz/exercise_frontend.hpp), `.check`
// the checker and `.diff` the engines' differential (fuzz/exercise_check.hpp).
// Each must end with a model or with diagnostics, and the checker's without a
// finding (internal text in a verdict, two engines that disagree). A hang would
// show as ctest's timeout.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "fuzz/exercise_check.hpp"
#include "fuzz/exercise_frontend.hpp"
#include "tests/spec_paths.hpp"
#include "tests/test_scale.hpp"

using namespace critsec;

namespace {

std::string read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::vector<std::filesystem::path> files_in(const char* dir, const std::string& extension = "") {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::directory_iterator(test::source_path(dir)))
        if (entry.is_regular_file() && (extension.empty() || entry.path().extension() == extension)) out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

const uint8_t* bytes_of(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

}  // namespace

TEST_CASE("fuzz regressions and seed corpus: the front end ends with a model or diagnostics") {
    int inputs = 0;
    std::vector<std::filesystem::path> paths = files_in("tests/fuzz_regressions", ".crit");
    for (const auto& p : files_in("fuzz/corpus")) paths.push_back(p);
    for (const auto& path : paths) {
        INFO(path.string());
        Compiled c = fuzz::exercise_frontend(read_bytes(path));
        CHECK((c.program || !c.diagnostics.empty()));
        ++inputs;
    }
    CHECK(inputs >= 10);
}

TEST_CASE("fuzz regressions: check and outcomes on tiny budgets say nothing internal", "[fuzz]") {
    for (const auto& path : files_in("tests/fuzz_regressions", ".check")) {
        std::string bytes = read_bytes(path);
        INFO(path.string());
        fuzz::FuzzRun run = fuzz::exercise_check(bytes_of(bytes), bytes.size());
        INFO("spec:\n" << run.spec);
        CHECK(run.finding == "");
    }
}

TEST_CASE("fuzz regressions: the explorer and the symbolic engines agree where both decide", "[fuzz]") {
    for (const auto& path : files_in("tests/fuzz_regressions", ".diff")) {
        std::string bytes = read_bytes(path);
        INFO(path.string());
        fuzz::FuzzRun run = fuzz::exercise_differential(bytes_of(bytes), bytes.size());
        INFO("spec:\n" << run.spec);
        CHECK(run.finding == "");
    }
}

TEST_CASE("fuzz: the spec generator of the checker's targets makes specs that compile", "[fuzz]") {
    // Every byte string is a valid spec: the corpora's, and a few thousand random ones.
    std::mt19937_64 rng(12);
    for (int n = 0; n < 2000; ++n) {
        std::string bytes(static_cast<size_t>(rng() % 200), '\0');
        for (char& ch : bytes) ch = static_cast<char>(rng());
        for (bool loops : {false, true}) {
            fuzz::GeneratorOptions options;
            options.loops = loops;
            std::string spec = fuzz::SpecFromBytes(bytes_of(bytes), bytes.size(), options).spec();
            Compiled c = compile_source("generated.crit", spec);
            INFO(spec << "\n" << render_all(c.source, c.diagnostics));
            REQUIRE(c.program.has_value());
        }
    }
}

TEST_CASE("fuzz regressions: a time budget holds when every state's moves enumerate 10,000 randint draws", "[fuzz][budget]") {
    // fuzz_check's first timeout: the budget was asked every 256 states, and 256
    // of these took 2.5 s against a 0.5 s budget (release build).
    std::string text = "v = Value(\"i\", 0)\n\nprocess P(a):\n    for i in range(30):\n";
    for (const char* x : {"x", "y", "z", "w"}) text += fmt::format("        {} = randint(0, 9)\n", x);
    text += "        v.value += x + y + z + w\n\nmain:\n";
    for (const char* p : {"p", "q", "r"}) text += fmt::format("    {} = P(1)\n    {}.start()\n", p, p);
    Compiled c = compile_source("heavy.crit", text);
    REQUIRE(c.program);
    for (int search = 0; search < 2; ++search) {
        checker::Budget budget(0.5, 0, false);
        auto start = std::chrono::steady_clock::now();
        if (search == 0) {
            checker::ExplorerSettings settings;
            settings.options.budget = &budget;
            checker::check_with_explorer(*c.program, settings);
        } else {
            checker::OutcomeSettings settings;
            settings.options.budget = &budget;
            settings.compiled = false;
            CHECK_FALSE(checker::enumerate_outcomes(*c.program, settings).complete);
        }
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        INFO((search == 0 ? "check" : "outcomes") << " took " << seconds << " s");
        CHECK(seconds < (test::kSanitized ? 5.0 : 1.5));  // it took 2.5 s before the fix
    }
}
