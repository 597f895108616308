// `critsec compare PROG.py --cpython`: the real program under the real python3,
// through the binary (the harness ships inside it), from another folder. Real
// runs; never a timing assertion. Skipped, with a warning, without python3.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "compare/cpython_outcome.hpp"
#include "tests/spec_paths.hpp"

namespace {

namespace fs = std::filesystem;

struct Result {
    int status = -1;
    std::string out;
    nlohmann::json json;
};

// A folder of its own for the test's programs and for TMPDIR (the runs' private folders).
struct Scratch {
    fs::path dir;
    Scratch() {
        std::string templ = (fs::temp_directory_path() / "critsec-cpython-test-XXXXXX").string();
        dir = ::mkdtemp(templ.data());
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(dir / name) << text;
        return (dir / name).string();
    }
    fs::path tmpdir() const {
        fs::create_directories(dir / "tmp");
        return dir / "tmp";
    }
};

// Runs `critsec ARGS` from / with TMPDIR in the scratch folder; stdout parsed as JSON when it is.
Result run_critsec(const Scratch& s, const std::string& args) {
    std::string cmd = fmt::format("cd / && TMPDIR='{}' '{}' {} 2>/dev/null", s.tmpdir().string(), CRITSEC_BINARY, args);
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
    Result r;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe.get())) > 0) r.out.append(buf, n);
    int status = ::pclose(pipe.release());
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.json = nlohmann::json::parse(r.out, nullptr, false);
    return r;
}

// The same with --format json, which must give a JSON report.
Result run_critsec_json(const Scratch& s, const std::string& args) {
    Result r = run_critsec(s, args + " --format json");
    INFO(r.out);
    REQUIRE(r.json.is_object());
    return r;
}

bool have_python3() { return std::system("command -v python3 >/dev/null 2>&1") == 0; }

// Nothing a run left: no private folder under TMPDIR, no process running the
// program (a program of the test's own: others may run the tutorial's).
void nothing_left(const Scratch& s, const std::string& program = "") {
    CHECK(fs::is_empty(s.tmpdir()));
    if (program.empty()) return;
    for (const auto& e : fs::directory_iterator("/proc")) {
        std::ifstream in(e.path() / "cmdline");
        std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        INFO("pid " << e.path().filename().string());
        CHECK(cmdline.find(program) == std::string::npos);
    }
}

// Each child writes its own cell of an Array (the tutorial's 08 draws in its
// children, whose outcomes are too many to list for each run).
const char* kSlots = R"(from multiprocessing import Process, Array


def put(slots, i):
    slots[i] = i + 1


if __name__ == "__main__":
    slots = Array("i", 3)
    ps = [Process(target=put, args=(slots, i)) for i in range(3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(list(slots))
)";

// Python lets any process release a multiprocessing.Lock; critsec's model fails
// the releaser (docs/language.md, Known gaps): every CPython run is unpredicted.
const char* kReleaseByAnother = R"(from multiprocessing import Process, Lock


def taker(lock):
    lock.acquire()


def releaser(lock):
    lock.release()


if __name__ == "__main__":
    lock = Lock()
    t = Process(target=taker, args=(lock,))
    r = Process(target=releaser, args=(lock,))
    t.start()
    t.join()
    r.start()
    r.join()
    print("released")
)";

// main waits forever for a lock its child took and never gave back.
const char* kHangs = R"(from multiprocessing import Process, Lock


def holder(lock):
    lock.acquire()


if __name__ == "__main__":
    lock = Lock()
    p = Process(target=holder, args=(lock,))
    p.start()
    p.join()
    lock.acquire()
    print("never")
)";

}  // namespace

TEST_CASE("compare --cpython: the tutorial's 07 under python3, every outcome predicted", "[compare][cpython]") {
    if (!have_python3()) {
        WARN("python3 not found: compare --cpython is not tested (scripts/setup.sh installs it)");
        return;
    }
    Scratch s;
    std::string program = critsec::test::source_path("tests/cpython/programs/07_value_race.py");
    Result r = run_critsec_json(s, "compare '" + program + "' --cpython -n 20");
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(r.json["executor"] == "cpython");
    CHECK(r.json["runs"] == 20);
    CHECK(r.json["unpredicted_runs"] == 0);
    CHECK(r.json["runs_without_outcome"] == 0);
    CHECK(r.json["unobserved"].empty());
    uint64_t observed = 0;
    for (const auto& row : r.json["outcomes"]) {
        observed += row["observed"].get<uint64_t>();
        if (row["observed"] > 0) CHECK(row["outcome"].get<std::string>().rfind("shared_total.value = ", 0) == 0);
    }
    CHECK(observed == 20);
    nothing_left(s);
}

TEST_CASE("compare --cpython: children's own draws are recorded, and each run predicted with them fixed", "[compare][cpython]") {
    // Tutorial 08's five children each draw a number: every combination would be 10^5
    // outcomes, past the checker's budget (INCONCLUSIVE); each run's own draws give one.
    if (!have_python3()) return;
    Scratch s;
    Result r = run_critsec_json(s, "compare '" + critsec::test::source_path("tests/cpython/programs/08_array.py") + "' --cpython -n 4");
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(r.json["unpredicted_runs"] == 0);
    CHECK(r.json["inconclusive_runs"] == 0);
    REQUIRE(r.json["input_vectors"].size() >= 1);
    for (const auto& g : r.json["input_vectors"]) {
        CHECK(g["complete"] == true);
        CHECK(g["predicted"] == 1);
        REQUIRE(g["child_draws"].size() == 5);
        CHECK(g["child_draws"]["append_number#1"].size() == 1);
    }
    for (const auto& row : r.json["outcomes"]) CHECK(row["predicted"] == true);
    nothing_left(s);
}

TEST_CASE("compare --cpython: fixed inputs give one vector and its coverage gap, and Arrays are observed", "[compare][cpython]") {
    if (!have_python3()) return;
    Scratch s;
    Result r = run_critsec_json(s, "compare '" + critsec::test::source_path("tests/cpython/programs/07_value_race.py") +
                                       "' --cpython -n 5 --inputs '1 1 1 1 1 1 1 1 1 1'");
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(r.json["input_vectors"].size() == 1);
    CHECK(r.json["coverage"]["predicted"] == 5);  // totals 2, 4, 6, 8, 10
    CHECK(r.json["coverage"]["observed"].get<int>() >= 1);
    Result a = run_critsec_json(s, "compare '" + s.write("slots.py", kSlots) + "' --cpython -n 3");
    INFO(a.out);
    CHECK(a.status == 0);
    REQUIRE(a.json["outcomes"].size() == 1);
    CHECK(a.json["outcomes"][0]["outcome"] == "slots = [1, 2, 3]\nmain prints: [1, 2, 3]\n");
    CHECK(a.json["outcomes"][0]["observed"] == 3);
}

TEST_CASE("compare --cpython: what the model cannot explain is reported unpredicted, exit 1", "[compare][cpython]") {
    if (!have_python3()) return;
    Scratch s;
    std::string program = s.write("release_by_another.py", kReleaseByAnother);
    Result r = run_critsec_json(s, "compare '" + program + "' --cpython -n 3");
    INFO(r.out);
    CHECK(r.status == 1);
    CHECK(r.json["unpredicted_runs"] == 3);
    CHECK(r.json["model_agrees"] == false);
    REQUIRE(r.json["unpredicted"].size() == 1);
    CHECK(r.json["unpredicted"][0]["outcome"] == "main prints: released\n");
    Result text = run_critsec(s, "compare '" + program + "' --cpython -n 1");
    CHECK(text.status == 1);
    CHECK(text.out.find("THE MODEL IS WRONG") != std::string::npos);
}

TEST_CASE("compare --cpython: a hanging program is stopped at its cap or by the deadlock watch, its whole group killed",
          "[compare][cpython]") {
    if (!have_python3()) return;
    Scratch s;
    std::string program = s.write("hangs.py", kHangs);
    SECTION("past --max-run-time, before the watch: no outcome, exit 2") {
        Result r = run_critsec_json(s, "compare '" + program + "' --cpython -n 2 --max-run-time 1");
        INFO(r.out);
        CHECK(r.status == 2);
        CHECK(r.json["runs"] == 2);
        CHECK(r.json["runs_without_outcome"] == 2);
        CHECK(r.json["without_outcome"].begin().key().find("--max-run-time") != std::string::npos);
    }
    SECTION("every process asleep in the kernel: the model's deadlock outcome") {
        Result r = run_critsec_json(s, "compare '" + program + "' --cpython -n 2 --deadlock-after 0.3");
        INFO(r.out);
        CHECK(r.status == 0);
        REQUIRE(r.json["outcomes"].size() == 1);
        CHECK(r.json["outcomes"][0]["outcome"] == "deadlock: main blocked\n");
        CHECK(r.json["outcomes"][0]["observed"] == 2);
    }
    nothing_left(s, program);
}

TEST_CASE("compare --cpython: a spec, or no interpreter, is refused before any run", "[compare][cpython]") {
    Scratch s;
    Result spec = run_critsec(s, "compare '" + critsec::test::tutorial_spec("07_value_race.crit") + "' --cpython -n 1");
    CHECK(spec.status == 64);
    std::string program = critsec::test::source_path("tests/cpython/programs/01_worker.py");
    CHECK(run_critsec(s, "compare '" + program + "' --cpython -n 1 --python /nonexistent/python3").status == 69);
    CHECK(run_critsec(s, "compare '" + program + "' --cpython -n 1 --python no-such-python-critsec").status == 69);
}

TEST_CASE("compare --cpython: the harness's records in the checker's terms, unobserved objects left out on both sides",
          "[compare][cpython]") {
    critsec::model::Program program = critsec::test::compile_text_ok(
        "total = Value(\"i\", 0)\nslots = Array(\"i\", 2)\nf = File(\"out.txt\")\n\nprocess W(n):\n    total.value += n\n\n"
        "main:\n    a = W(1)\n    b = W(2)\n    a.start()\n    b.start()\n    a.join()\n    b.join()\n");
    CHECK(critsec::compare::observable_objects(program) == std::vector<std::string>{"total", "slots"});
    critsec::compare::CPythonRun run;
    run.files = {std::string("7\0", 2)};
    run.records = {R"({"draw": 3})",
                   R"({"start": "W#1"})",
                   R"({"start": "W#2"})",
                   R"({"draw": 4})",
                   R"({"failed": "W#2", "error": "ValueError: bad"})",
                   "not json",
                   R"({"failed": "W#1", "error": "KeyError: 'k'"})",
                   R"({"print": "done"})",
                   R"({"print": ""})",
                   R"({"failed": "main", "error": "AssertionError: lost"})",
                   R"({"end": true, "values": {"total": 5, "slots": [1, "x"]}})"};
    critsec::compare::CPythonOutcome o = critsec::compare::cpython_outcome(program, run);
    REQUIRE(o.complete);
    CHECK(o.inputs == std::vector<int64_t>{3, 4});
    CHECK(o.text ==
          "total.value = 5\nfile out.txt = \"7\\x00\"\nmain failed: AssertionError: lost\nW#1 failed: KeyError: 'k'\n"
          "W#2 failed: ValueError: bad\nmain prints: done\nmain prints: \n");
    CHECK(o.unobserved == std::set<std::string>{"slots"});  // a cell that is not an int: not read
    CHECK(critsec::compare::project_outcome("total.value = 5\nslots = [1, 2]\nmain prints: slots = [1, 2]\n", o.unobserved) ==
          "total.value = 5\nmain prints: slots = [1, 2]\n");
    run.records.pop_back();
    CHECK_FALSE(critsec::compare::cpython_outcome(program, run).complete);
    // Stopped by the deadlock watch: no end record, and the shared memory died with the run.
    run.status = critsec::compare::CPythonStatus::Deadlock;
    run.unfinished = {"main", "W#1"};
    o = critsec::compare::cpython_outcome(program, run);
    REQUIRE(o.complete);
    CHECK(o.unobserved == std::set<std::string>{"total", "slots"});
    CHECK(o.text.substr(o.text.rfind("main prints: \n")) == "main prints: \ndeadlock: main, W#1 blocked\n");
}
