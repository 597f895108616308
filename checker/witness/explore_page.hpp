#pragma once
// The page `critsec explore` writes: one self-contained HTML file (its script
// and style inline, nothing fetched) in which a student is the scheduler. The
// spec's play graph (play_graph.hpp) goes into it as JSON, with the goals the
// checker found reachable (each violated assert, lost update, deadlock or
// runtime error) and, for each, the checker's counterexample as a path of the
// graph's moves. The page's HTML, style and script are explore_page.html,
// compiled into the binary at build time (cmake/embed_text.cmake).
#include <string>
#include <vector>

#include "checker/explorer/play_graph.hpp"
#include "checker/verdict.hpp"
#include "model/program.hpp"

namespace critsec::checker {

struct ExploreGoal {
    std::string key;        // the property's key: "lost-update", "assert@37", "deadlock", "runtime-error"
    std::string title;      // "Lose an update"
    std::string text;       // what reaching it means, in a sentence
    std::string detail;     // the checker's own line about it
    std::vector<int> path;  // the counterexample as moves of the graph (empty: it could not be followed)
};

// One goal per violated assert, lost update, deadlock and runtime error, in that order.
std::vector<ExploreGoal> explore_goals(const model::Program& program, const PlayGraph& graph, const std::vector<PropertyResult>& verdicts);

// The graph, goals and verdicts as the page's script reads them (compact: strings in one table).
std::string explore_json(const model::Program& program, const std::string& source_text, const PlayGraph& graph,
                         const std::vector<ExploreGoal>& goals, const std::vector<PropertyResult>& verdicts);

// The whole page: the template with the JSON in its data slot.
std::string explore_page(const std::string& json);

}  // namespace critsec::checker
