#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "model/expectations.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;

TEST_CASE("every spec's expectations parse") {
    namespace fs = std::filesystem;
    int specs = 0;
    for (const auto& entry : fs::recursive_directory_iterator(test::source_path("specs"))) {
        if (entry.path().extension() != ".crit") continue;
        ++specs;
        Compiled c = compile_file(entry.path().string());
        SpecExpectations e = parse_expectations(c.source);
        INFO(entry.path().string() << "\n" << render_all(c.source, e.diagnostics));
        CHECK(e.diagnostics.empty());
        CHECK_FALSE(e.expectations.empty());
    }
    CHECK(specs >= 13);
}

TEST_CASE("expectation forms") {
    SourceFile src("x.crit", R"(# expect: lost-update: VIOLATED
# expect: assert@21: PROVED
# expect: outcomes: 31
# expect: outcome: total.value = 36
# expect: prints: Worker#1 "Worker: 1"
# expect: max-inside Printer 13-15: 3
# expect: overlap Task: never
# expect: order main:end before Task:15: sometimes
# fixed-inputs: 1 -2 3
# expect: lost update: VIOLATED
)");
    SpecExpectations e = parse_expectations(src);
    REQUIRE(e.expectations.size() == 8);
    CHECK(e.expectations[0].property == "lost-update");
    CHECK(e.expectations[0].verdict == "VIOLATED");
    CHECK(e.expectations[1].property == "assert@21");
    CHECK(e.expectations[2].count == 31);
    CHECK(e.expectations[3].text == "total.value = 36");
    CHECK(e.expectations[4].process == "Worker#1");
    CHECK(e.expectations[4].text == "Worker: 1");
    CHECK(e.expectations[5].first_line == 13);
    CHECK(e.expectations[5].count == 3);
    CHECK(e.expectations[6].never);
    CHECK(e.expectations[7].first == "main:end");
    CHECK(e.expectations[7].quantifier == "sometimes");
    REQUIRE(e.fixed_inputs);
    CHECK(*e.fixed_inputs == std::vector<long long>{1, -2, 3});
    REQUIRE(e.diagnostics.size() == 1);
    CHECK(e.diagnostics[0].loc.line == 10);
}

TEST_CASE("numbers too large for a claim are errors at their line, not crashes (the fuzzer's crashers)") {
    SourceFile src("x.crit",
                   "# expect: max-inside P 1-99999999999: 1\n"
                   "# expect: reach-inside P 1-2: " +
                       std::string(79, '9') +
                       "\n"
                       "# expect: outcomes: 99999999999999999999999\n"
                       "# expect: order main:99999999999 before Task:end: always\n"
                       "# expect: order main:end before Task:" +
                       std::string(40, '7') +
                       ": never\n"
                       "# expect: outcomes: 1000000000\n"
                       "# expect: max-inside P 1-2147483647: 3\n");
    SpecExpectations e = parse_expectations(src);
    REQUIRE(e.diagnostics.size() == 5);
    std::vector<std::string> messages;
    for (size_t i = 0; i < e.diagnostics.size(); ++i) {
        CHECK(e.diagnostics[i].loc.line == static_cast<int>(i) + 1);
        messages.push_back(e.diagnostics[i].message);
    }
    CHECK(messages == std::vector<std::string>{
                          "line `99999999999` in an expectation is too large",
                          "count `" + std::string(79, '9') + "` in an expectation is too large",
                          "count `99999999999999999999999` in an expectation is too large",
                          "line `99999999999` in an expectation is too large",
                          "line `" + std::string(40, '7') + "` in an expectation is too large",
                      });
    // The largest numbers allowed are still claims.
    REQUIRE(e.expectations.size() == 2);
    CHECK(e.expectations[0].count == 1000000000);
    CHECK(e.expectations[1].last_line == 2147483647);
}

namespace {

// Writes `text` as the only spec of a fresh folder and runs `critsec ARGS FOLDER`; the exit status.
int critsec_on_folder(const std::string& text, const std::string& args) {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / fs::path("critsec-expect-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
    fs::create_directories(dir);
    { std::ofstream(dir / "spec.crit") << text; }
    std::string cmd = std::string(CRITSEC_BINARY) + " " + args + " " + dir.string() + " >/dev/null 2>&1";
    int status = std::system(cmd.c_str());
    fs::remove_all(dir);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("suite: a malformed `# expect:` line fails its spec (exit 65) instead of dropping the claim") {
    CHECK(critsec_on_folder("# expect: lost update: VIOLATED\nmain:\n    pass\n", "suite -n 0") == 65);
    CHECK(critsec_on_folder("# expect: deadlock: PROVED\nmain:\n    pass\n", "suite -n 0") == 0);
    CHECK(critsec_on_folder("# fixed-inputs: 1 x\n# expect: deadlock: PROVED\nmain:\n    pass\n", "suite -n 0") == 65);
}

TEST_CASE("suite: fixed inputs outside their randint's range fail the spec (exit 65)") {
    const char* body = R"(
total = Value("i", 0)

process Add(n):
    total.value += n

main:
    a = Add(randint(1, 10))
    b = Add(randint(1, 10))
    a.start()
    b.start()
    a.join()
    b.join()
)";
    CHECK(critsec_on_folder(std::string("# fixed-inputs: 50 2\n# expect: outcome: total.value = 52") + body, "suite -n 0") == 65);
    CHECK(critsec_on_folder(std::string("# fixed-inputs: 10 2\n# expect: outcome: total.value = 12") + body, "suite -n 0") == 0);
}
