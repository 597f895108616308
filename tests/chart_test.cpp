// The one chart renderer (chart/): pinned texts for both layouts, the fitting
// to a width, the marks, the deadlock's wait-for rows, colour, wrapping and the
// natural order of outcomes; then every counterexample `check` draws for the
// specs in specs/, fitted to 100 columns.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include <sys/wait.h>
#include <unistd.h>

#include "chart/natural_order.hpp"
#include "tests/test_scale.hpp"
#include "chart/palette.hpp"
#include "chart/sequence_chart.hpp"
#include "chart/svg_chart.hpp"
#include "chart/text_fit.hpp"

using namespace critsec::chart;

namespace {

Trace lost_update() {
    Trace t;
    t.processes = {"main", "Adder#1", "Adder#2"};
    t.has_state = true;
    t.initial = {{"total.value", "0"}};
    t.rows = {{"main", "1: start Adder#1"},
              {"main", "1: start Adder#2"},
              {"Adder#1", "1: load total.value = 0"},
              {"Adder#2", "1: load total.value = 0"},
              {"Adder#1", "2: store total.value = 1", Mark::Lost, "LOST: overwritten at row 6 by Adder#2", {{"total.value", "1"}}, 4},
              {"Adder#2", "2: store total.value = 2", Mark::Stale, "stale: computed from the read at row 4", {{"total.value", "2"}}, 4, -1, 3, 4}};
    return t;
}

size_t longest_line(const std::string& text) {
    size_t longest = 0, start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        longest = std::max(longest, display_width(text.substr(start, nl - start)));
        start = nl + 1;
    }
    return longest;
}

}  // namespace

TEST_CASE("chart: one column per process when they fit, the state where it changes") {
    CHECK(render_text(lost_update(), Layout{.width = 120}) ==
          "shared state at the start: total.value=0\n"
          " row | main             | Adder#1                         | Adder#2                          | changed\n"
          "-----------------------------------------------------------------------------------------------------------\n"
          "   1 | 1: start Adder#1 |                                 |                                  |\n"
          "   2 | 1: start Adder#2 |                                 |                                  |\n"
          "   3 |                  | 1: load total.value = 0         |                                  |\n"
          "   4 |                  |                                 | 1: load total.value = 0          |\n"
          "   5 |                  | 2: store total.value = 1 [LOST] |                                  | total.value=1\n"
          "       ^ Adder#1 (line 4): LOST: overwritten at row 6 by Adder#2\n"
          "   6 |                  |                                 | 2: store total.value = 2 [STALE] | total.value=2\n"
          "       ^ Adder#2 (line 4): stale: computed from the read at row 4\n");
}

TEST_CASE("chart: narrower, a print's column shrinks first, and a step keeps its mark") {
    Trace t = lost_update();
    t.rows.push_back({"main", "2: print \"the total is " + std::string(40, '9') + "\""});
    std::string text = render_text(t, Layout{.width = 120});
    CHECK(longest_line(text) <= 120);
    CHECK(text.find("2: print \"the total is 999") != std::string::npos);
    CHECK(text.find("…") != std::string::npos);
    CHECK(text.find("[LOST]") != std::string::npos);
    CHECK(text.find("[STALE]") != std::string::npos);
    CHECK(text.find("| main ") != std::string::npos);  // still one column per process
}

TEST_CASE("chart: too many processes for columns, one line per step naming its process") {
    std::string text = render_text(lost_update(), Layout{.width = 100});
    CHECK(text ==
          "shared state at the start: total.value=0\n"
          " row | process | step                             | changed\n"
          "----------------------------------------------------------------\n"
          "   1 | main    | 1: start Adder#1                 |\n"
          "   2 | main    | 1: start Adder#2                 |\n"
          "   3 | Adder#1 | 1: load total.value = 0          |\n"
          "   4 | Adder#2 | 1: load total.value = 0          |\n"
          "   5 | Adder#1 | 2: store total.value = 1 [LOST]  | total.value=1\n"
          "       ^ Adder#1 (line 4): LOST: overwritten at row 6 by Adder#2\n"
          "   6 | Adder#2 | 2: store total.value = 2 [STALE] | total.value=2\n"
          "       ^ Adder#2 (line 4): stale: computed from the read at row 4\n");
    std::string narrow = render_text(lost_update(), Layout{.width = 60});
    CHECK(longest_line(narrow) <= 60);
    CHECK(narrow.find("… [STALE]") != std::string::npos);
    CHECK(narrow.find("         Adder#2\n") != std::string::npos);  // the note wraps under itself
}

TEST_CASE("chart: a step cut to its column keeps its whole mark") {
    Trace t = lost_update();
    t.rows[5].step = "2: store total.value = " + std::string(60, '9');
    std::string text = render_text(t, Layout{.width = 100});
    CHECK(longest_line(text) <= 100);
    CHECK(text.find("… [STALE]") != std::string::npos);
}

TEST_CASE("chart: a deadlock ends with who waits for what") {
    Trace t;
    t.processes = {"main", "T#1", "T#2"};
    t.has_state = true;
    t.rows = {{"T#1", "1: acquire a", Mark::None, "", {{"a", "T#1"}}}, {"T#2", "5: acquire b", Mark::None, "", {{"b", "T#2"}}}};
    t.waits = {{"T#1", "waits for b", "acquires b, held by T#2", 3}, {"T#2", "waits for a", "acquires a, held by T#1", 7}};
    CHECK(render_text(t, Layout{.width = 100}) ==
          " row | main   | T#1          | T#2          | changed\n"
          "----------------------------------------------------\n"
          "   1 |        | 1: acquire a |              | a=T#1\n"
          "   2 |        |              | 5: acquire b | b=T#2\n"
          "     ~~ nobody can move: each waits for the next ~~\n"
          "wait |        | waits for b  |              |\n"
          "       ^ T#1 (line 3): acquires b, held by T#2\n"
          "wait |        |              | waits for a  |\n"
          "       ^ T#2 (line 7): acquires a, held by T#1\n");
}

TEST_CASE("chart: a run's log has no state column, and its rows keep their own numbers") {
    Trace t;
    t.processes = {"main", "Adder#1"};
    t.rows = {{"main", "start Adder#1"}, {"Adder#1", "load total.value = 0"}};
    t.rows[1].number = "7";
    CHECK(render_text(t, Layout{.width = 100}) ==
          " row | main          | Adder#1\n"
          "-------------------------------------------\n"
          "   1 | start Adder#1 |\n"
          "   7 |               | load total.value = 0\n");
}

TEST_CASE("chart: a run of folded rows is one line, its processes lose their columns, the other rows keep their numbers") {
    Trace t = lost_update();
    t.processes.push_back("Logger#1");
    Row bystander{"Logger#1", "1: store log[0] = 1"};
    bystander.folded = true;
    Row tail{"Adder#1", "3: print \"done\""};
    tail.folded = true;
    t.rows.insert(t.rows.begin() + 4, bystander);
    t.rows.insert(t.rows.begin() + 5, tail);
    Layout layout{120, {}};
    layout.fold_hint = "(folded)";
    CHECK(render_text(t, layout) ==
          "shared state at the start: total.value=0\n"
          " row | main             | Adder#1                         | Adder#2                          | changed\n"
          "-----------------------------------------------------------------------------------------------------------\n"
          "   1 | 1: start Adder#1 |                                 |                                  |\n"
          "   2 | 1: start Adder#2 |                                 |                                  |\n"
          "   3 |                  | 1: load total.value = 0         |                                  |\n"
          "   4 |                  |                                 | 1: load total.value = 0          |\n"
          "     ~~ rows 5-6 folded: 2 steps of Adder#1 and Logger#1, not involved\n"
          "   7 |                  | 2: store total.value = 1 [LOST] |                                  | total.value=1\n"
          "       ^ Adder#1 (line 4): LOST: overwritten at row 6 by Adder#2\n"
          "   8 |                  |                                 | 2: store total.value = 2 [STALE] | total.value=2\n"
          "       ^ Adder#2 (line 4): stale: computed from the read at row 4\n"
          "(folded)\n");
    layout.fold = false;
    std::string full = render_text(t, layout);
    CHECK(full.find("| 1: store log[0] = 1") != std::string::npos);
    CHECK(full.find("   6 |") != std::string::npos);
    CHECK(full.find("| Logger#1") != std::string::npos);
    CHECK(full.find("folded") == std::string::npos);
    // A single row folded would take a line as well: it is drawn.
    t.rows.erase(t.rows.begin() + 5);
    std::string one = render_text(t, Layout{.width = 120});
    CHECK(one.find("| 1: store log[0] = 1") != std::string::npos);
    CHECK(one.find("folded") == std::string::npos);
}

TEST_CASE("chart: colour paints the marks, and only when asked") {
    Layout colour{100, Palette{true}};
    std::string text = render_text(lost_update(), colour);
    CHECK(text.find("\033[1;31m [LOST]\033[0m") != std::string::npos);
    CHECK(text.find("\033[1;31m [STALE]\033[0m") != std::string::npos);
    CHECK(render_text(lost_update(), Layout{.width = 100}).find('\033') == std::string::npos);
    CHECK(Palette{false}.paint("VIOLATED", Paint::Bad) == "VIOLATED");
    CHECK(Palette{true}.paint("PROVED", Paint::Good) == "\033[32mPROVED\033[0m");
}

TEST_CASE("chart: the shared state wraps inside its column, cell by cell") {
    Trace t;
    t.processes = {"main"};
    t.has_state = true;
    t.rows = {{"main", "1: store", Mark::None, "", {{"a", std::string(20, '1')}, {"b", std::string(20, '2')}, {"c", "3"}}}};
    std::string text = render_text(t, Layout{.width = 50});
    CHECK(longest_line(text) <= 50);
    CHECK(text.find("a=" + std::string(20, '1')) != std::string::npos);
    CHECK(text.find("b=" + std::string(20, '2')) != std::string::npos);
}

TEST_CASE("text fit: wrap keeps the spacing inside a line, breaks at spaces, cuts what cannot break") {
    CHECK(wrap("a=1  b=2", 20, 0, 2) == std::vector<std::string>{"a=1  b=2"});
    CHECK(wrap("one two three four", 10, 0, 2) == std::vector<std::string>{"one two", "  three", "  four"});
    CHECK(wrap(std::string(25, 'x'), 10, 0, 0) == std::vector<std::string>{std::string(10, 'x'), std::string(10, 'x'), std::string(5, 'x')});
    CHECK(wrap("", 10, 0, 0) == std::vector<std::string>{""});
    CHECK(wrapped("tamaño ñandú", 8, 0, 0) == "tamaño\nñandú\n");
    CHECK(clip("tamaño", 4) == "tam…");
    CHECK(clip("abc", 3) == "abc");
    CHECK(pad("ñ", 3) == "ñ  ");
    CHECK(display_width("…") == 1);
}

TEST_CASE("natural order: numbers compared as numbers, the rest as text") {
    std::vector<std::string> totals{"total.value = 110", "total.value = 30", "total.value = -5", "total.value = 180", "total.value = 60"};
    std::sort(totals.begin(), totals.end(), natural_less);
    CHECK(totals == std::vector<std::string>{"total.value = -5", "total.value = 30", "total.value = 60", "total.value = 110",
                                             "total.value = 180"});
    CHECK(natural_less("a = 2\nb = 10", "a = 2\nb = 9") == false);
    CHECK(natural_less("Adder#2", "Adder#10"));
    CHECK(natural_less("x-1", "x-2"));
    CHECK_FALSE(natural_less("same", "same"));
    CHECK(natural_less("99999999999999999999999", "100000000000000000000000"));
}

TEST_CASE("chart: every counterexample check draws for specs/ fits 100 columns and names the lost and stale steps") {
    namespace fs = std::filesystem;
    size_t charts = 0, lost = 0;
    for (const auto& dir : {"specs/tutorial", "specs/coursework"}) {
        for (const auto& entry : fs::directory_iterator(std::string(CRITSEC_SOURCE_DIR) + "/" + dir)) {
            if (entry.path().extension() != ".crit" || critsec::test::too_slow_under_sanitizers(entry.path().string())) continue;
            std::string cmd = fmt::format("COLUMNS=100 '{}' check --color never --timeout 60 '{}' 2>/dev/null", CRITSEC_BINARY, entry.path().string());
            std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
            REQUIRE(pipe);
            std::string out;
            char buf[4096];
            while (size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
            INFO(entry.path().string() << "\n" << out);
            CHECK(longest_line(out) <= 100);
            charts += out.find("counterexample:") != std::string::npos;
            if (out.find("VIOLATED  lost update") != std::string::npos) {
                ++lost;
                CHECK(out.find("[LOST]") != std::string::npos);
                CHECK(out.find("[STALE]") != std::string::npos);
            }
        }
    }
    CHECK(charts >= (critsec::test::kSanitized ? 7 : 8));  // 09's, the eighth, only in the optimized build
    CHECK(lost >= 3);
}

namespace {

// Runs a shell command, returns what it printed (stdout) and sets `status` to its exit status.
std::string output_of(const std::string& cmd, int& status) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
    std::string out;
    char buf[4096];
    while (size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
    int raw = ::pclose(pipe.release());
    status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return out;
}

// What Python's XML parser finds in an SVG file: its root, the classes of its boxes and arrows, its texts.
std::string svg_summary(const std::string& path) {
    std::string script =
        "import sys, xml.etree.ElementTree as E\n"
        "ns = '{http://www.w3.org/2000/svg}'\n"
        "root = E.parse(sys.argv[1]).getroot()\n"
        "print('root', root.tag == ns + 'svg', root.get('width') is not None)\n"
        "for cls in ('bad', 'wait', 'stale', 'lost', 'rf', 'cycle', 'head'):\n"
        "    print(cls, sum(1 for e in root.iter() if e.get('class') == cls))\n"
        "print('texts', ' | '.join(t.text or '' for t in root.iter(ns + 'text')))\n";
    std::filesystem::path file = path + ".py";
    {
        std::ofstream(file) << script;
    }
    int status = 0;
    std::string out = output_of(fmt::format("python3 '{}' '{}' 2>&1", file.string(), path), status);
    std::filesystem::remove(file);
    return out;
}

struct TempSvg {
    std::filesystem::path path = std::filesystem::temp_directory_path() / fmt::format("critsec_chart_{}.svg", ::getpid());
    ~TempSvg() { std::filesystem::remove(path); }
};

}  // namespace

TEST_CASE("svg: check --chart svg draws the lost update of tutorial 07, a valid SVG with its marks and arrows") {
    TempSvg file;
    int status = 0;
    output_of(fmt::format("'{}' check '{}' --chart svg '{}' >/dev/null 2>&1", CRITSEC_BINARY,
                          std::string(CRITSEC_SOURCE_DIR) + "/specs/tutorial/07_value_race.crit", file.path.string()),
              status);
    CHECK(status == 1);  // VIOLATED, as without the chart
    std::string summary = svg_summary(file.path.string());
    INFO(summary);
    CHECK(summary.find("root True True") != std::string::npos);
    // A lost write and a stale store in each of the two counterexamples, and the assert's failing step.
    CHECK(summary.find("bad 5\n") != std::string::npos);
    CHECK(summary.find("stale 3\n") != std::string::npos);  // an arrow in each chart, and the legend's
    CHECK(summary.find("lost 3\n") != std::string::npos);
    CHECK(summary.find("head 9\n") != std::string::npos);  // six lifelines for the assert, three for the lost update
    CHECK(summary.find("STALE") != std::string::npos);
    CHECK(summary.find("counterexample: lost update") != std::string::npos);
    CHECK(summary.find("rf 0\n") == std::string::npos);  // loads point at the writes they read
}

TEST_CASE("svg: a deadlock's wait-for edges and a livelock's cycle are drawn") {
    TempSvg file;
    int status = 0;
    std::string specs = std::string(CRITSEC_SOURCE_DIR) + "/specs/coursework/";
    output_of(fmt::format("'{}' check '{}' --chart svg '{}' >/dev/null 2>&1", CRITSEC_BINARY, specs + "two_lock_deadlock.crit", file.path.string()),
              status);
    std::string deadlock = svg_summary(file.path.string());
    INFO(deadlock);
    CHECK(deadlock.find("wait 3\n") != std::string::npos);
    CHECK(deadlock.find("acquires lock_b, held by Transfer#2") != std::string::npos);
    output_of(fmt::format("'{}' check '{}' --chart svg '{}' >/dev/null 2>&1", CRITSEC_BINARY, specs + "flags_livelock.crit", file.path.string()),
              status);
    std::string livelock = svg_summary(file.path.string());
    INFO(livelock);
    CHECK(livelock.find("cycle 1\n") != std::string::npos);
    CHECK(livelock.find("repeat forever") != std::string::npos);
}

TEST_CASE("svg: a spec's strings are escaped, and a chart that cannot be written or a format that is not svg is refused") {
    Trace t;
    t.processes = {"main"};
    t.rows = {{"main", "1: print \"<b>&'\x01\""}};
    std::string svg = render_svg("a <caption>", {{"title & more", t}});
    CHECK(svg.find("&lt;b&gt;&amp;&apos;?") != std::string::npos);
    CHECK(svg.find("a &lt;caption&gt;") != std::string::npos);
    CHECK(svg.find('\x01') == std::string::npos);
    int status = 0;
    std::string spec = std::string(CRITSEC_SOURCE_DIR) + "/specs/tutorial/01_worker.crit";
    output_of(fmt::format("'{}' check '{}' --chart svg /nonexistent/dir/x.svg >/dev/null 2>&1", CRITSEC_BINARY, spec), status);
    CHECK(status == 73);
    output_of(fmt::format("'{}' check '{}' --chart png /tmp/x.png >/dev/null 2>&1", CRITSEC_BINARY, spec), status);
    CHECK(status == 64);
}

TEST_CASE("svg: outcomes and replay draw their witnesses too") {
    TempSvg file;
    int status = 0;
    std::string spec = std::string(CRITSEC_SOURCE_DIR) + "/specs/coursework/two_lock_deadlock.crit";
    output_of(fmt::format("'{}' outcomes '{}' --chart svg '{}' >/dev/null 2>&1", CRITSEC_BINARY, spec, file.path.string()), status);
    CHECK(status == 0);
    std::string outcomes = svg_summary(file.path.string());
    INFO(outcomes);
    CHECK(outcomes.find("outcome 1: ") != std::string::npos);
    CHECK(outcomes.find("outcome 2: ") != std::string::npos);
    output_of(fmt::format("'{}' replay '{}' --chart svg '{}' >/dev/null 2>&1", CRITSEC_BINARY, spec, file.path.string()), status);
    std::string replay = svg_summary(file.path.string());
    INFO(replay);
    CHECK(replay.find("root True True") != std::string::npos);
    CHECK(replay.find("the real run, each step on its turn") != std::string::npos);
}
