#include "checker/explorer/play_graph.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "checker/explorer/replay.hpp"

namespace critsec::checker {
namespace {

// describe_step pads its columns for `critsec show`; a page wants one space.
std::string squeezed(const std::string& text) {
    std::string out;
    for (char c : text)
        if (c != ' ' || (!out.empty() && out.back() != ' ')) out += c;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

class Recorder : public GraphObserver {
public:
    explicit Recorder(const PreparedProgram& prepared) : prepared_(prepared) { lost_updates = true; }

    void node(int id, const MachineState& s) override {
        if (static_cast<size_t>(id) >= graph.states.size()) graph.states.resize(id + 1);
        PlayState& out = graph.states[id];
        for (const auto& p : s.world.processes) out.processes.push_back(process(p));
        out.shared = shared_state(prepared_.program, s.world);
    }

    void move(int from, const Transition& t) override {
        PlayMove m;
        m.from = from;
        m.instance = t.move.instance;
        m.draws = t.move.draws;
        for (const auto& p : t.next.world.processes)
            if (p.instance == t.move.instance) {
                m.process = p.label;
                if (t.failed_assert >= 0 || !t.runtime_error.empty()) m.detail = fmt::format("{}: {}", p.label, p.error);
            }
        m.what = t.move.marker ? "loop: back to the loop's head" : t.event.what;
        if (!t.move.draws.empty()) {
            std::vector<int64_t> values;
            for (const auto& d : t.move.draws) values.push_back(d.value);
            m.what += fmt::format(" (randint: {})", fmt::join(values, ", "));
        }
        for (const Access& a : t.accesses)
            if (a.write) m.writes.push_back(fmt::format("{}:{}", a.object, a.cell));
        if (t.failed_assert >= 0) m.hits.push_back(fmt::format("assert@{}", prepared_.program.asserts.at(t.failed_assert).loc.line));
        if (!t.runtime_error.empty()) m.hits.push_back("runtime-error");
        if (t.lost_update) {
            m.hits.push_back("lost-update");
            m.detail = t.lost_detail;
        }
        graph.moves.push_back(std::move(m));
    }

    PlayGraph graph;

private:
    PlayProcess process(const model::ProcessState& p) const {
        PlayProcess out;
        out.label = p.label;
        out.instance = p.instance;
        out.process = p.process;
        if (p.finished) {
            out.status = p.error.empty() ? PlayProcess::Status::Finished : PlayProcess::Status::Failed;
            out.error = p.error;
            return out;
        }
        const auto& code = prepared_.code(p.process);
        const auto& instr = code.code.at(p.pc);
        out.line = instr.loc.line;
        out.loop_back = prepared_.of(p.process).marker_loop.at(p.pc) >= 0;
        out.step = instr.step;
        out.action = out.loop_back ? "back to the loop's head" : squeezed(model::describe_step(instr, code, prepared_.program));
        return out;
    }

    const PreparedProgram& prepared_;
};

}  // namespace

PlayGraph build_play_graph(const PreparedProgram& prepared, const DrawPolicy& draws, size_t max_states, const Budget* budget) {
    Recorder recorder(prepared);
    StateGraph g = build_state_graph(prepared, draws, max_states, budget, &recorder);
    PlayGraph out = std::move(recorder.graph);
    out.complete = g.complete;
    out.incomplete = g.incomplete;
    if (!g.nodes.empty())
        for (const auto& d : g.nodes[0].via.draws)
            if (d.instance == 0) out.inputs.push_back(d.value);
    size_t k = 0;  // the recorder saw the moves in the order of each node's `out`
    for (size_t v = 0; v < g.nodes.size() && v < out.states.size(); ++v) {
        for (const auto& e : g.nodes[v].out) {
            while (k < out.moves.size() && out.moves[k].from != static_cast<int>(v)) ++k;
            if (k < out.moves.size()) out.moves[k++].to = e.to;
        }
        if (!g.nodes[v].expanded) continue;
        PlayState& s = out.states[v];
        bool unfinished = false;
        for (auto& p : s.processes) {
            bool enabled = std::find(g.nodes[v].enabled.begin(), g.nodes[v].enabled.end(), p.instance) != g.nodes[v].enabled.end();
            if (p.status == PlayProcess::Status::Ready && !enabled) p.status = PlayProcess::Status::Blocked;
            unfinished = unfinished || p.status == PlayProcess::Status::Ready || p.status == PlayProcess::Status::Blocked;
        }
        s.deadlock = g.nodes[v].enabled.empty() && unfinished;
    }
    // A move whose target fell past the size limit was never added to its node: drop it.
    std::erase_if(out.moves, [](const PlayMove& m) { return m.to < 0; });
    return out;
}

std::vector<int> play_path(const PlayGraph& graph, const Witness& w) {
    std::vector<std::vector<int>> out(graph.states.size());
    for (size_t i = 0; i < graph.moves.size(); ++i) out[graph.moves[i].from].push_back(static_cast<int>(i));
    auto drawn = [&](const PlayMove& m) {
        for (const auto& d : m.draws)
            for (const auto& x : w.draws)
                if (x.instance == d.instance && x.index == d.index && x.value != d.value) return false;
        return true;
    };
    // The move of `instance` from `at`, the one with the witness's draws where several: -1 when it cannot move.
    auto take = [&](int at, int instance) {
        int first = -1;
        for (int i : out[at])
            if (graph.moves[i].instance == instance) {
                if (drawn(graph.moves[i])) return i;
                if (first < 0) first = i;
            }
        return first;
    };
    std::vector<int> path;
    int at = 0;
    for (const auto& step : w.steps) {
        for (int guard = 0; guard < 1000; ++guard) {
            const PlayProcess* p = nullptr;
            for (const auto& q : graph.states[at].processes)
                if (q.instance == step.instance) p = &q;
            if (!p || !p->loop_back) break;
            int i = take(at, step.instance);
            if (i < 0) return {};
            path.push_back(i);
            at = graph.moves[i].to;
        }
        int i = take(at, step.instance);
        if (i < 0) return {};
        path.push_back(i);
        at = graph.moves[i].to;
    }
    return path;
}

}  // namespace critsec::checker
