#include "checker/witness/explore_page.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

namespace critsec::checker {

// explore_page.html's bytes (generated at build time by cmake/embed_text.cmake).
extern const char kExplorePageTemplate[];

namespace {

using nlohmann::json;

ExploreGoal goal_for(const model::Program& program, const PropertyResult& r) {
    ExploreGoal g{r.key, "", "", r.detail, {}};
    switch (r.kind) {
        case PropertyKind::Assert: {
            g.title = fmt::format("Make the assert at line {} fail", r.key.substr(r.key.find('@') + 1));
            std::string text;
            for (const auto& a : program.asserts)
                if (fmt::format("assert@{}", a.loc.line) == r.key) text = a.text;
            g.text = fmt::format("Schedule the processes so that {} is false when it is checked.",
                                 text.empty() ? "the assert's condition" : "`" + text + "`");
            break;
        }
        case PropertyKind::LostUpdate:
            g.title = "Lose an update";
            g.text =
                "Let a process read a shared value, let another write it, then let the first store what it computed "
                "from its stale read: the other's write is lost.";
            break;
        case PropertyKind::Deadlock:
            g.title = "Reach a deadlock";
            g.text = "Get every process that has not finished stuck, each waiting for something that will never come.";
            break;
        case PropertyKind::RuntimeError:
            g.title = "Cause a runtime error";
            g.text = "Schedule the processes so that one of them fails (a bad int(), an index out of range, a lock released twice).";
            break;
        default: break;
    }
    return g;
}

// One table of strings, so that the thousands of states repeat none of them.
class Strings {
public:
    int operator()(const std::string& s) {
        auto [it, fresh] = ids_.try_emplace(s, static_cast<int>(list_.size()));
        if (fresh) list_.push_back(s);
        return it->second;
    }
    const std::vector<std::string>& list() const { return list_; }

private:
    std::map<std::string, int> ids_;
    std::vector<std::string> list_;
};

// Each template's lines in the source: from its header to its last step's line.
json templates_of(const model::Program& program) {
    json out = json::array();
    auto range = [&](const model::ProcessTemplate& t) {
        int first = t.loc.line, last = t.loc.line;
        for (const auto& instr : t.code)
            if (instr.loc.line >= first) last = std::max(last, instr.loc.line);
        out.push_back({{"name", t.name}, {"first", first}, {"last", last}});
    };
    range(program.main);
    for (const auto& t : program.processes) range(t);
    return out;
}

json states_of(const PlayGraph& graph, Strings& str, json& keys, json& instances) {
    std::vector<std::string> names;
    if (!graph.states.empty())
        for (const auto& [k, v] : graph.states[0].shared) names.push_back(k);
    for (const auto& k : names) keys.push_back(k);
    std::map<int, std::pair<std::string, int>> seen;  // instance -> label, template index
    json states = json::array();
    for (const auto& s : graph.states) {
        json procs = json::array(), shared = json::array();
        for (const auto& p : s.processes) {
            seen[p.instance] = {p.label, p.process + 1};
            procs.push_back({p.instance, static_cast<int>(p.status), p.step, p.line, str(p.action), p.loop_back ? 1 : 0, str(p.error)});
        }
        for (const auto& k : names) {
            auto it = s.shared.find(k);
            shared.push_back(str(it == s.shared.end() ? "" : it->second));
        }
        states.push_back({procs, shared, s.deadlock ? 1 : 0});
    }
    for (const auto& [instance, who] : seen) instances.push_back({instance, who.first, who.second});
    return states;
}

}  // namespace

std::vector<ExploreGoal> explore_goals(const model::Program& program, const PlayGraph& graph, const std::vector<PropertyResult>& verdicts) {
    std::vector<ExploreGoal> goals;
    for (PropertyKind kind : {PropertyKind::Assert, PropertyKind::LostUpdate, PropertyKind::Deadlock, PropertyKind::RuntimeError})
        for (const auto& r : verdicts) {
            if (r.kind != kind || r.verdict != Verdict::Violated) continue;
            ExploreGoal g = goal_for(program, r);
            if (r.witness) g.path = play_path(graph, *r.witness);
            goals.push_back(std::move(g));
        }
    return goals;
}

std::string explore_json(const model::Program& program, const std::string& source_text, const PlayGraph& graph,
                         const std::vector<ExploreGoal>& goals, const std::vector<PropertyResult>& verdicts) {
    Strings str;
    str("");  // index 0: no string
    json keys = json::array(), instances = json::array();
    json states = states_of(graph, str, keys, instances);
    json moves = json::array();
    for (const auto& m : graph.moves) moves.push_back({m.from, m.to, m.instance, str(m.what), m.hits, str(m.detail), m.writes});
    json goal_list = json::array(), verdict_list = json::array();
    for (const auto& g : goals)
        goal_list.push_back({{"key", g.key}, {"title", g.title}, {"text", g.text}, {"detail", g.detail}, {"path", g.path}});
    for (const auto& r : verdicts) verdict_list.push_back({{"name", r.name}, {"verdict", verdict_name(r.verdict)}, {"detail", r.detail}});
    std::vector<std::string> lines;
    for (size_t start = 0; start <= source_text.size();) {
        size_t nl = source_text.find('\n', start);
        if (nl == std::string::npos) nl = source_text.size();
        lines.push_back(source_text.substr(start, nl - start));
        start = nl + 1;
    }
    json data = {{"spec", program.spec_path}, {"source", lines},        {"templates", templates_of(program)},
                 {"inputs", graph.inputs},    {"instances", instances}, {"keys", keys},
                 {"states", states},          {"moves", moves},         {"goals", goal_list},
                 {"verdicts", verdict_list},  {"strings", str.list()}};
    // A spec's bytes need not be UTF-8: replace what is not, rather than throw.
    return data.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string explore_page(const std::string& json_text) {
    std::string page = kExplorePageTemplate;
    std::string safe;  // `</script>` inside a string would end the script: `<\/` means the same in JSON
    safe.reserve(json_text.size());
    for (size_t i = 0; i < json_text.size(); ++i) {
        safe += json_text[i];
        if (json_text[i] == '<' && i + 1 < json_text.size() && json_text[i + 1] == '/') safe += '\\';
    }
    const std::string slot = "/*CRITSEC_EXPLORE_DATA*/null";
    size_t at = page.find(slot);
    if (at != std::string::npos) page.replace(at, slot.size(), safe);
    return page;
}

}  // namespace critsec::checker
