// `critsec explore`: the play graph the page walks, the goals taken from the
// checker's verdicts (their counterexamples as paths of the graph), the page
// itself (self-contained, its data safe inside a <script>), and the size
// limit. The page's behaviour in a browser is tests/browser/'s test.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "checker/explorer/play_graph.hpp"
#include "checker/explorer/properties.hpp"
#include "checker/witness/explore_page.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;

namespace {

struct Explored {
    model::Program program;
    checker::PlayGraph graph;
    std::vector<checker::PropertyResult> verdicts;
    std::vector<checker::ExploreGoal> goals;
};

Explored explore(model::Program program) {
    checker::PreparedProgram prepared = checker::prepare(program);
    checker::DrawPolicy draws;
    draws.main_inputs = std::vector<int64_t>{};
    Explored e{std::move(program), checker::build_play_graph(prepared, draws, 20'000), {}, {}};
    checker::ExplorerSettings settings;
    settings.options.fixed_inputs = e.graph.inputs;
    e.verdicts = checker::check_with_explorer(e.program, settings).properties;
    e.goals = checker::explore_goals(e.program, e.graph, e.verdicts);
    return e;
}

const checker::ExploreGoal* goal(const Explored& e, const std::string& key) {
    for (const auto& g : e.goals)
        if (g.key == key) return &g;
    return nullptr;
}

bool hits(const checker::PlayMove& m, const std::string& key) { return std::find(m.hits.begin(), m.hits.end(), key) != m.hits.end(); }

// A path is a walk of the graph: each move starts where the one before ended.
bool walks(const checker::PlayGraph& g, const std::vector<int>& path) {
    int at = 0;
    for (int i : path) {
        if (g.moves.at(i).from != at) return false;
        at = g.moves[i].to;
    }
    return true;
}

}  // namespace

TEST_CASE("the play graph of two adders: every interleaving, the lost update on a move, the goals walkable", "[explore]") {
    Explored e = explore(test::compile_ok(test::source_path("tests/browser/lost_update.crit")));
    REQUIRE(e.graph.complete);
    CHECK(e.graph.states.size() == 32);
    size_t lost = std::count_if(e.graph.moves.begin(), e.graph.moves.end(), [](const auto& m) { return hits(m, "lost-update"); });
    CHECK(lost > 0);
    for (const auto& m : e.graph.moves) {
        CHECK(m.to >= 0);
        CHECK(m.to < static_cast<int>(e.graph.states.size()));
    }
    // At the start, main alone, about to start Adder#1 on line 15.
    REQUIRE(e.graph.states[0].processes.size() == 1);
    CHECK(e.graph.states[0].processes[0].label == "main");
    CHECK(e.graph.states[0].processes[0].line == 15);
    CHECK(e.graph.states[0].shared.at("total.value") == "0");

    REQUIRE(e.goals.size() == 2);
    CHECK(e.goals[0].key == "assert@19");  // asserts first, then the lost update
    const checker::ExploreGoal* lu = goal(e, "lost-update");
    REQUIRE(lu);
    REQUIRE(!lu->path.empty());
    CHECK(walks(e.graph, lu->path));
    CHECK(std::any_of(lu->path.begin(), lu->path.end(), [&](int i) { return hits(e.graph.moves[i], "lost-update"); }));
    REQUIRE(!e.goals[0].path.empty());
    CHECK(walks(e.graph, e.goals[0].path));
    CHECK(hits(e.graph.moves[e.goals[0].path.back()], "assert@19"));
}

TEST_CASE("a deadlock goal's path ends where every unfinished process is blocked", "[explore]") {
    Explored e = explore(test::compile_ok(test::source_path("specs/coursework/two_lock_deadlock.crit")));
    REQUIRE(e.graph.complete);
    const checker::ExploreGoal* d = goal(e, "deadlock");
    REQUIRE(d);
    REQUIRE(!d->path.empty());
    CHECK(walks(e.graph, d->path));
    const checker::PlayState& end = e.graph.states.at(e.graph.moves[d->path.back()].to);
    CHECK(end.deadlock);
    CHECK(std::any_of(end.processes.begin(), end.processes.end(),
                      [](const auto& p) { return p.status == checker::PlayProcess::Status::Blocked; }));
}

TEST_CASE("the page is self-contained and its data cannot end its script", "[explore]") {
    model::Program program = test::compile_text_ok(R"(total = Value("i", 0)

process Adder(n):
    total.value += n
    print("</script><script>alert(1)</script>")

main:
    a = Adder(1)
    a.start()
    a.join()
)");
    Explored e = explore(std::move(program));
    std::string json = checker::explore_json(e.program, "total = Value(\"i\", 0)\n# </script>\n", e.graph, e.goals, e.verdicts);
    std::string page = checker::explore_page(json);
    CHECK(page.find("/*CRITSEC_EXPLORE_DATA*/") == std::string::npos);
    CHECK(page.find("\"states\"") != std::string::npos);
    // One </script>: the template's own.
    size_t first = page.find("</script>");
    REQUIRE(first != std::string::npos);
    CHECK(page.find("</script>", first + 1) == std::string::npos);
    CHECK(page.find("<\\/script>") != std::string::npos);
    for (const char* far : {"http://", "https://", "src=\"//", "<link"}) CHECK(page.find(far) == std::string::npos);
    CHECK(e.goals.empty());  // one adder loses nothing
}

TEST_CASE("critsec explore past --max-states writes no page and exits 2", "[explore]") {
    namespace fs = std::filesystem;
    fs::path out = fs::temp_directory_path() / ("critsec-explore-test-" + std::to_string(::getpid()) + ".html");
    fs::remove(out);
    std::string cmd = std::string(CRITSEC_BINARY) + " explore " + test::source_path("tests/browser/lost_update.crit") + " -o " +
                      out.string() + " --max-states 5 2>&1";
    std::string text;
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
    REQUIRE(pipe);
    std::array<char, 4096> buf;
    while (size_t n = std::fread(buf.data(), 1, buf.size(), pipe.get())) text.append(buf.data(), n);
    int status = ::pclose(pipe.release());
    INFO(text);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
    CHECK(text.find("more than 5 states") != std::string::npos);
    CHECK(!fs::exists(out));
}
