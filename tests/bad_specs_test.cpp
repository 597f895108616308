// The bad-spec corpus: every file under tests/bad_specs/ states, in header lines
//   # error: LINE:COL: message
// the exact errors the front end must report (all of them, in order), and the real
// binary must print them compiler-style and exit 65. Each compile and each run
// happens in a child process with a deadline, so a front-end hang or crash fails
// one check instead of taking the whole suite down.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/frontend.hpp"
#include "tests/spec_paths.hpp"

namespace fs = std::filesystem;

namespace {

struct Expected {
    int line = 0;
    int col = 0;
    std::string message;
    friend bool operator==(const Expected&, const Expected&) = default;
};

std::string show(const std::vector<Expected>& errors) {
    std::string out;
    for (const auto& e : errors) out += std::to_string(e.line) + ":" + std::to_string(e.col) + ": " + e.message + "\n";
    return out.empty() ? "(no errors)\n" : out;
}

std::vector<std::string> corpus_files() {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(critsec::test::source_path("tests/bad_specs")))
        if (entry.path().extension() == ".crit" || entry.path().extension() == ".py") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<Expected> expected_errors(const std::string& path) {
    static const std::regex header(R"(^# error: (\d+):(\d+): (.*)$)");
    std::vector<Expected> out;
    std::istringstream in(read_all(path));
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::smatch m;
        if (std::regex_match(line, m, header)) out.push_back({std::stoi(m[1]), std::stoi(m[2]), m[3]});
    }
    return out;
}

// What a child process reports back: its output, and how it ended.
struct ChildResult {
    std::string output;
    bool timed_out = false;
    bool exited = false;
    int exit_code = -1;
    int signal = 0;
    std::string how() const {
        if (timed_out) return "timed out (killed)";
        if (!exited) return "killed by signal " + std::to_string(signal);
        return "exit " + std::to_string(exit_code);
    }
};

// Reads `fd` until EOF or the deadline, then reaps `pid` (killing it on timeout).
ChildResult collect(pid_t pid, int fd, std::chrono::milliseconds limit) {
    ChildResult r;
    auto deadline = std::chrono::steady_clock::now() + limit;
    char buf[4096];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0) {
            r.timed_out = true;
            break;
        }
        pollfd p{fd, POLLIN, 0};
        int ready = ::poll(&p, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue;
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (r.output.size() < (1u << 22)) r.output.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    if (r.timed_out) ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (WIFEXITED(status)) {
        r.exited = true;
        r.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r.signal = WTERMSIG(status);
    }
    return r;
}

// compile_file in a forked child; the errors come back one per line as LINE\tCOL\tMESSAGE.
struct CompileOutcome {
    std::optional<std::vector<Expected>> errors;  // empty when the child hung or crashed
    std::string how;
};

CompileOutcome compile_in_child(const std::string& path, std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        critsec::Compiled c = critsec::compile_file(path);
        std::string out;
        for (const auto& d : c.diagnostics) {
            if (d.severity != critsec::Severity::Error) continue;
            std::string msg;
            for (char ch : d.message) msg += ch == '\n' ? std::string("\\n") : std::string(1, ch);
            out += std::to_string(d.loc.line) + "\t" + std::to_string(d.loc.col) + "\t" + msg + "\n";
        }
        size_t done = 0;
        while (done < out.size()) {
            ssize_t n = ::write(fds[1], out.data() + done, out.size() - done);
            if (n <= 0) break;
            done += static_cast<size_t>(n);
        }
        ::_exit(0);
    }
    ::close(fds[1]);
    ChildResult r = collect(pid, fds[0], limit);
    CompileOutcome outcome;
    outcome.how = r.how();
    if (!r.exited || r.exit_code != 0) return outcome;
    std::vector<Expected> errors;
    std::istringstream in(r.output);
    std::string line;
    while (std::getline(in, line)) {
        auto t1 = line.find('\t');
        auto t2 = line.find('\t', t1 + 1);
        errors.push_back({std::stoi(line.substr(0, t1)), std::stoi(line.substr(t1 + 1, t2 - t1 - 1)), line.substr(t2 + 1)});
    }
    outcome.errors = std::move(errors);
    return outcome;
}

// Runs `critsec <args...>` with stdout discarded; returns its stderr and how it ended.
ChildResult run_binary(const std::vector<std::string>& args, std::chrono::milliseconds limit = std::chrono::milliseconds(10000)) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        ::dup2(fds[1], STDERR_FILENO);
        int devnull = ::open("/dev/null", O_WRONLY);
        if (devnull >= 0) ::dup2(devnull, STDOUT_FILENO);
        std::vector<char*> argv;
        std::string binary = CRITSEC_BINARY;
        argv.push_back(binary.data());
        std::vector<std::string> copy = args;
        for (auto& a : copy) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(binary.c_str(), argv.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    return collect(pid, fds[0], limit);
}

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

// What must never appear on stderr, whatever the input.
const char* const kCrashMarkers[] = {
    "AddressSanitizer", "LeakSanitizer",    "UndefinedBehaviorSanitizer", "runtime error:",
    "Assertion `",      "terminate called", "Segmentation fault",         "internal error",
    "stack-overflow",   "Aborted",
};

void check_no_crash_text(const std::string& err) {
    for (const char* marker : kCrashMarkers) {
        INFO("stderr contains `" << marker << "`");
        CHECK_FALSE(contains(err, marker));
    }
}

// A caret line of the renderer: gutter, `|`, spaces, `^`, optional `~`.
bool has_caret_line(const std::string& err) {
    static const std::regex caret(R"((^|\n) +\| *\^~*\n)");
    return std::regex_search(err, caret);
}

}  // namespace

TEST_CASE("the bad-spec corpus has at least 50 specs, each stating its errors", "[bad_specs]") {
    auto files = corpus_files();
    CHECK(files.size() >= 50);
    for (const auto& f : files) {
        INFO(f);
        CHECK_FALSE(expected_errors(f).empty());
        // File names follow NN_short_name.crit.
        CHECK(std::regex_match(fs::path(f).filename().string(), std::regex(R"(\d\d_[a-z0-9_]+\.(crit|py))")));
    }
}

TEST_CASE("every bad spec gets exactly its stated errors from the front end", "[bad_specs]") {
    for (const auto& f : corpus_files()) {
        auto expected = expected_errors(f);
        CompileOutcome got = compile_in_child(f);
        INFO(fs::path(f).filename().string());
        INFO("front end: " << got.how);
        CHECK(got.errors.has_value());
        if (!got.errors) continue;
        INFO("expected:\n" << show(expected) << "got:\n" << show(*got.errors));
        CHECK(*got.errors == expected);
    }
}

TEST_CASE("the binary prints every bad spec's errors compiler-style and exits 65", "[bad_specs][cli]") {
    for (const auto& f : corpus_files()) {
        auto expected = expected_errors(f);
        ChildResult r = run_binary({"show", f});
        INFO(fs::path(f).filename().string() << ": " << r.how() << "\nstderr:\n" << r.output.substr(0, 4000));
        CHECK_FALSE(r.timed_out);
        CHECK(r.exited);
        CHECK(r.exit_code == 65);
        check_no_crash_text(r.output);
        CHECK(has_caret_line(r.output));
        for (const auto& e : expected) {
            std::string head = f + ":" + std::to_string(e.line) + ":" + std::to_string(e.col) + ": error: ";
            INFO("looking for: " << head);
            CHECK(contains(r.output, head));
        }
    }
}

// ---- the exact rendered text ----------------------------------------------------------

namespace {

std::string render_first_error(const std::string& text) {
    critsec::Compiled c = critsec::compile_source("spec.crit", text);
    for (const auto& d : c.diagnostics)
        if (d.severity == critsec::Severity::Error) return critsec::render(c.source, d);
    return "(no error)";
}

}  // namespace

TEST_CASE("rendered diagnostic: unknown name with did-you-mean", "[bad_specs][render]") {
    std::string text =
        "total = Value(\"i\", 0)\n"
        "\n"
        "process Adder(n1, n2):\n"
        "    totl.value += n1 + n2\n"
        "\n"
        "main:\n"
        "    p = Adder(1, 2)\n"
        "    p.start()\n"
        "    p.join()\n";
    CHECK(render_first_error(text) ==
          "spec.crit:4:5: error: unknown name `totl`\n"
          "    4 |     totl.value += n1 + n2\n"
          "      |     ^~~~\n"
          "hint: did you mean `total`?\n");
}

TEST_CASE("rendered diagnostic: an initial value that does not fit its typecode", "[bad_specs][render]") {
    CHECK(render_first_error("counter = Value(\"b\", 300)\n\nmain:\n    print(f\"{counter.value}\")\n") ==
          "spec.crit:1:22: error: initial value 300 does not fit typecode 'b' (signed char: -128 to 127)\n"
          "    1 | counter = Value(\"b\", 300)\n"
          "      |                      ^~~\n"
          "hint: choose a wider typecode, such as \"q\"\n");
}

TEST_CASE("rendered diagnostic: `with` on a Value", "[bad_specs][render]") {
    std::string text =
        "total = Value(\"i\", 0)\n"
        "process Adder(n1, n2):\n"
        "    with total:\n"
        "        total.value += n1 + n2\n"
        "main:\n"
        "    p = Adder(1, 2)\n"
        "    p.start()\n"
        "    p.join()\n";
    CHECK(render_first_error(text) ==
          "spec.crit:3:10: error: `with` needs a lock, a semaphore or a file, not a Value\n"
          "    3 |     with total:\n"
          "      |          ^~~~~\n"
          "hint: lock the Value with `with total.get_lock():`\n");
}

TEST_CASE("rendered diagnostic: `.valeu` suggests `value` (the example of diagnostic.hpp)", "[bad_specs][render]") {
    std::string text =
        "total = Value(\"i\", 0)\n"
        "process Adder(n1, n2):\n"
        "    total.valeu += 1\n"
        "main:\n"
        "    p = Adder(1, 2)\n"
        "    p.start()\n"
        "    p.join()\n";
    CHECK(render_first_error(text) ==
          "spec.crit:3:11: error: a Value has no attribute `valeu`\n"
          "    3 |     total.valeu += 1\n"
          "      |           ^~~~~\n"
          "hint: did you mean `value`?\n");
}

TEST_CASE("rendered diagnostic: a constant that divides by zero", "[bad_specs][render]") {
    CHECK(render_first_error("main:\n    for i in range(10 % 0):\n        print(i)\n") ==
          "spec.crit:2:25: error: integer division or modulo by zero in a constant\n"
          "    2 |     for i in range(10 % 0):\n"
          "      |                         ^\n"
          "hint: Python raises ZeroDivisionError here; a constant must have a value\n");
}

TEST_CASE("rendered diagnostic: printing a process without parameters", "[bad_specs][render]") {
    CHECK(render_first_error("process W():\n    pass\n\nmain:\n    p = W()\n    print(p)\n") ==
          "spec.crit:6:11: error: cannot print a process W\n"
          "    6 |     print(p)\n"
          "      |           ^\n"
          "hint: it has no parameters to print; print `pid()` inside the process\n");
}

TEST_CASE("rendered diagnostic: the summary line counts the errors", "[bad_specs][render]") {
    critsec::Compiled c = critsec::compile_source("spec.crit", "main:\n    sleep(-1)\n    print(x)\n");
    std::string all = critsec::render_all(c.source, c.diagnostics);
    CHECK(contains(all, "spec.crit:2:11: error: sleep length must be non-negative\n"));
    CHECK(contains(all, "spec.crit:3:11: error: unknown name `x`\n"));
    CHECK(contains(all, "\n2 errors generated.\n"));
}

// A file of garbage, a line of stray characters or hundreds of unknown names: the
// first 20 errors and a note where the rest begin, in every stage.
TEST_CASE("past 20 errors the rest are not shown, and a note says where they begin", "[bad_specs][render]") {
    std::string stray = "main:\n    print(1)\n" + std::string(50, '$') + "\n";
    std::string bad_statements = "main:\n";
    std::string unknown_names = "main:\n";
    for (int i = 1; i <= 40; ++i) {
        bad_statements += "    x = = " + std::to_string(i) + "\n";
        unknown_names += "    print(n" + std::to_string(i) + ")\n";
    }
    for (const std::string& text : {stray, bad_statements, unknown_names}) {
        critsec::Compiled c = critsec::compile_source("spec.crit", text);
        CAPTURE(text);
        CHECK(critsec::error_count(c.diagnostics) == 20);
        REQUIRE(c.diagnostics.back().severity == critsec::Severity::Note);
        CHECK(critsec::render_all(c.source, c.diagnostics).find("note: more than 20 errors: the rest are not shown\n") !=
              std::string::npos);
        CHECK(contains(critsec::render_all(c.source, c.diagnostics), "\n20 errors generated.\n"));
    }
    CHECK(critsec::compile_source("spec.crit", unknown_names).diagnostics.back().loc.line == 22);  // where n21 is
    // Exactly 20 errors: all shown, no note.
    std::string twenty = "main:\n";
    for (int i = 1; i <= 20; ++i) twenty += "    print(n" + std::to_string(i) + ")\n";
    critsec::Compiled c = critsec::compile_source("spec.crit", twenty);
    CHECK(c.diagnostics.size() == 20);
    CHECK(critsec::error_count(c.diagnostics) == 20);
}

TEST_CASE("rendered diagnostic: the caret counts characters, not bytes, after a non-ASCII character", "[bad_specs][render]") {
    // "ñ" is two bytes (the column, 17, counts bytes as GCC's do) and one place on the screen.
    CHECK(render_first_error("main:\n    print(\"ñ\", x)\n") ==
          "spec.crit:2:17: error: unknown name `x`\n"
          "    2 |     print(\"ñ\", x)\n"
          "      |                ^\n");
    // `tamaño` is a name, as in Python (7 bytes, 6 places); `×` is no letter.
    CHECK(render_first_error("main:\n    tamaño = 3 × 4\n").rfind("spec.crit:2:17: error: unexpected character `×`\n"
                                                               "    2 |     tamaño = 3 × 4\n"
                                                               "      |                ^\n",
                                                               0) == 0);
}

TEST_CASE("rendered diagnostic: control bytes of the line are shown as signs, never sent to the terminal", "[bad_specs][render]") {
    // A NUL, and a carriage return that would send the cursor back over the line.
    CHECK(render_first_error(std::string("main:\n    print(1)") + '\0' + "x\n") ==
          "spec.crit:2:13: error: the spec contains a NUL byte\n"
          "    2 |     print(1)\u2400x\n"
          "      |             ^\n"
          "hint: is this a text file?\n");
    CHECK(render_first_error("main:\n    print(\"ab\rcd)\n") ==
          "spec.crit:2:11: error: unterminated string\n"
          "    2 |     print(\"ab\u240dcd)\n"
          "      |           ^\n"
          "hint: close it with \" on the same line\n");
}

TEST_CASE("a UTF-8 byte order mark before the first line is read past, as Python does", "[bad_specs][render]") {
    critsec::Compiled c = critsec::compile_source("spec.crit", "\xEF\xBB\xBFmain:\n    print(y)\n");
    REQUIRE(c.diagnostics.size() == 1);
    CHECK(critsec::render(c.source, c.diagnostics[0]).rfind("spec.crit:2:11: error: unknown name `y`\n", 0) == 0);
    CHECK(critsec::compile_source("spec.crit", "\xEF\xBB\xBFmain:\n    print(1)\n").program);
}

// ---- hints the corpus relies on -------------------------------------------------------

TEST_CASE("typo hints of corpus specs", "[bad_specs][hints]") {
    struct Case {
        const char* file;
        const char* hint;
    };
    const Case cases[] = {
        {"17_unknown_name_typo.crit", "did you mean `total`?"},
        {"18_unknown_method_strat.crit", "did you mean `start`?"},
        {"28_valeu_typo.crit", "did you mean `value`?"},
        {"66_unknown_method_typo_join.crit", "did you mean `join`?"},
        {"56_start_without_call.crit", "add parentheses: `.start()`"},
        {"57_get_lock_not_called.crit", "add parentheses: `.get_lock()`"},
    };
    for (const auto& c : cases) {
        std::string path = critsec::test::source_path(std::string("tests/bad_specs/") + c.file);
        CompileOutcome guard = compile_in_child(path);  // do not hang the suite
        INFO(c.file << " (front end: " << guard.how << ")");
        REQUIRE(guard.errors.has_value());
        critsec::Compiled compiled = critsec::compile_file(path);
        REQUIRE_FALSE(compiled.diagnostics.empty());
        CHECK(compiled.diagnostics.front().hint == c.hint);
    }
}

// ---- nasty inputs: never a crash, a hang or an exit other than 0 / 65 -----------------

TEST_CASE("nasty inputs never crash, hang or exit with anything but 0 or 65", "[bad_specs][nasty]") {
    struct Input {
        const char* name;
        std::string text;
    };
    auto repeat = [](const std::string& s, int n) {
        std::string out;
        for (int i = 0; i < n; ++i) out += s;
        return out;
    };
    std::vector<Input> inputs = {
        {"empty", ""},
        {"only_comments", "# nothing\n# at all\n"},
        {"no_trailing_newline", "main:\n    print(\"x\")"},
        {"crlf", "main:\r\n    print(\"x\")\r\n"},
        {"backslash_at_eof", "main:\n    x = 1 + \\"},
        {"backslash_newline_at_eof", "main:\n    x = 1 + \\\n"},
        {"bad_dedent", "main:\n    x = 1\n  y = 2\n"},
        {"parens_3000", "main:\n    x = " + repeat("(", 3000) + "1" + repeat(")", 3000) + "\n"},
        {"parens_10000", "main:\n    x = " + repeat("(", 10000) + "1" + repeat(")", 10000) + "\n"},
        {"brackets_10000", "main:\n    x = " + repeat("[", 10000) + repeat("]", 10000) + "\n"},
        {"not_10000", "main:\n    x = " + repeat("not ", 10000) + "True\n"},
        {"minus_100000", "main:\n    x = " + repeat("-", 100000) + "1\n"},
        {"unclosed_parens_10000", "main:\n    x = " + repeat("(", 10000) + "\n"},
        {"invalid_utf8", "main:\n    print(x\xff)\n"},
        {"nul_byte", std::string("main:\n    pri\0nt(1)\n", 19)},
        {"huge_line", "main:\n    x = " + repeat("1 + ", 100000) + "1\n"},
        {"fstring_odd_braces", "main:\n    print(f\"{{{\")\n    print(f\"}{\")\n    print(f\"{x!}\")\n"},
        {"while_true_in_process", "process P():\n    while True:\n        pass\nmain:\n    p = P()\n    p.start()\n    p.join()\n"},
    };
    std::string dir = fs::temp_directory_path() / ("critsec_nasty_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    for (const auto& in : inputs) {
        std::string path = dir + "/" + in.name + ".crit";
        {
            std::ofstream out(path, std::ios::binary);
            out << in.text;
        }
        auto start = std::chrono::steady_clock::now();
        ChildResult r = run_binary({"show", path});
        auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        INFO(in.name << ": " << r.how() << " in " << took << " ms\nstderr:\n" << r.output.substr(0, 2000));
        CHECK_FALSE(r.timed_out);
        CHECK(r.exited);
        CHECK((r.exit_code == 0 || r.exit_code == 65));
        check_no_crash_text(r.output);
        if (r.exit_code == 65) CHECK(has_caret_line(r.output));
    }
    fs::remove_all(dir);
}

TEST_CASE("a spec path that is no readable regular file is refused at once with exit 66", "[bad_specs][cli]") {
    std::string dir = fs::temp_directory_path() / ("critsec_unreadable_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::string fifo = dir + "/nobody_writes.crit";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    struct Case {
        std::string path, why;
    };
    // A FIFO nobody writes and a device that never ends would wait or grow forever if read.
    for (const auto& c : std::vector<Case>{{dir, "is a directory, not a spec file"},
                                           {fifo, "is a FIFO, not a regular file"},
                                           {"/dev/zero", "is a device, not a regular file"},
                                           {dir + "/missing.crit", "No such file or directory"}}) {
        for (const char* command : {"check", "outcomes", "run", "show"}) {
            ChildResult r = run_binary({command, c.path}, std::chrono::milliseconds(20000));
            INFO(command << " " << c.path << ": " << r.how() << "\nstderr:\n" << r.output);
            CHECK(r.exited);
            CHECK(r.exit_code == 66);
            CHECK(r.output == "critsec: cannot read " + c.path + ": " + c.why + "\n");
        }
    }
    ChildResult tokens = run_binary({"show", "--dump", "tokens", fifo});
    CHECK(tokens.exit_code == 66);
    fs::remove_all(dir);
}
