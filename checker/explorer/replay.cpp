#include "checker/explorer/replay.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace critsec::checker {

std::map<std::string, std::string> shared_state(const model::Program& program, const model::MemoryWorld& world) {
    std::map<std::string, std::string> out;
    for (size_t i = 0; i < program.objects.size(); ++i) {
        const auto& o = program.objects[i];
        switch (o.kind) {
            case model::ObjectKind::Value: out[o.name + ".value"] = std::to_string(world.cells[i][0]); break;
            case model::ObjectKind::Array: out[o.name] = fmt::format("[{}]", fmt::join(world.cells[i], ", ")); break;
            case model::ObjectKind::Lock: {
                int h = world.holder[i];
                out[o.name] = h < 0 ? "free" : const_cast<model::MemoryWorld&>(world).pid_name(h);
                break;
            }
            case model::ObjectKind::Semaphore: out[o.name] = std::to_string(world.hold_count[i]); break;
            case model::ObjectKind::File:
                out["file " + o.file_name] = world.files[i].exists ? fmt::format("{:?}", world.files[i].content) : "absent";
                break;
        }
    }
    return out;
}

Witness witness_from_moves(const std::vector<Move>& path) {
    Witness w;
    for (const auto& m : path) {
        for (const auto& d : m.draws) w.draws.push_back(d);
        if (m.instance >= 0 && !m.marker) {
            TraceStep s{};
            s.instance = m.instance;
            w.steps.push_back(s);
        }
    }
    std::vector<DrawValue> main_draws;
    for (const auto& d : w.draws)
        if (d.instance == 0) main_draws.push_back(d);
    std::sort(main_draws.begin(), main_draws.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
    for (const auto& d : main_draws) w.inputs.push_back(d.value);
    return w;
}

void take_loop_markers(const Machine& m, MachineState& s, int instance, const Witness& w) {
    for (int guard = 0; guard < 100000; ++guard) {
        const model::ProcessState* p = nullptr;
        for (const auto& q : s.world.processes)
            if (q.instance == instance) p = &q;
        if (!p || p->finished) return;
        if (m.prepared().of(p->process).marker_loop.at(p->pc) < 0) return;
        auto t = m.replay(s, instance, w.draws, w.inputs);
        if (!t) return;
        s = std::move(t->next);
    }
}

namespace {

struct LastWrite {
    int row = -1;
    int instance = -1;
};

// Lost-update bookkeeping with the whole history: the last write of each cell,
// and for each process the row of its last load of each cell.
struct History {
    std::map<std::pair<int, int64_t>, LastWrite> last_write;
    std::map<std::tuple<int, int, int64_t>, int> loaded_at;  // (instance, object, cell) -> row
};

// The row's loads and writes into the history; a stale store marks its row and
// the row whose write it overwrote.
void mark_accesses(const Transition& t, int row, const std::string& mover, TraceStep& ts, History& h, Replayed& r) {
    for (const Access& a : t.accesses) {
        auto key = std::make_pair(a.object, a.cell);
        if (!a.write) {
            h.loaded_at[{ts.instance, a.object, a.cell}] = row;
            auto written = h.last_write.find(key);
            if (written != h.last_write.end()) ts.read_of = written->second.row;
            continue;
        }
        if (t.lost_update) {
            ts.lost_write = true;
            r.lost_update = true;
            auto lw = h.last_write.find(key);
            auto la = h.loaded_at.find({ts.instance, a.object, a.cell});
            if (lw != h.last_write.end() && lw->second.instance != ts.instance) {
                auto& lost = r.witness.steps.at(lw->second.row);
                lost.overwritten = true;
                lost.note = fmt::format("LOST: overwritten at row {} by {}", row + 1, mover);
                ts.computed_from = la != h.loaded_at.end() ? la->second : -1;
                ts.overwrites = lw->second.row;
                ts.note = fmt::format("stale: computed from the read at row {}; overwrites {}'s write of row {}",
                                      la != h.loaded_at.end() ? la->second + 1 : 0, lost.process, lw->second.row + 1);
            } else {
                ts.note = "stale: computed from a read another process's write has since changed";
            }
        }
        h.last_write[key] = {row, ts.instance};
    }
}

// The failures a move brought, each once, in the order they happened.
void note_failures(const Transition& t, std::vector<std::string>& failures) {
    if (t.failed_assert < 0 && t.runtime_error.empty()) return;
    for (const auto& p : t.next.world.processes)
        if (!p.error.empty()) {
            std::string f = fmt::format("{}: {}", p.label, p.error);
            if (std::find(failures.begin(), failures.end(), f) == failures.end()) failures.push_back(f);
        }
}

}  // namespace

Replayed replay_witness(const PreparedProgram& prepared, const Witness& witness, bool fingerprint_rows) {
    Replayed r;
    Machine machine(prepared, Watch{}, DrawPolicy{}, fingerprint_rows ? kLoopsUncounted : 1 << 30, false);
    auto note_state = [&](const MachineState& s) {
        if (!fingerprint_rows) return;
        MachineState canonical = s;
        machine.canonicalize(canonical);
        r.fingerprints.push_back(machine.fingerprint(canonical));
    };
    r.witness = witness;
    r.witness.steps.clear();
    auto init = machine.replay(MachineState(prepared.program), -1, witness.draws, witness.inputs);
    MachineState s = std::move(init->next);
    take_loop_markers(machine, s, 0, witness);
    r.worlds.push_back(s.world);
    note_state(s);
    note_failures(*init, r.failures);
    History history;
    for (const auto& step : witness.steps) {
        auto t = machine.replay(s, step.instance, witness.draws, witness.inputs);
        if (!t) {
            r.ok = false;
            r.problem = fmt::format("step {} of the witness: {} cannot move", r.witness.steps.size() + 1, step.instance);
            return r;
        }
        int row = static_cast<int>(r.witness.steps.size());
        const model::ProcessState* mover = nullptr;
        for (const auto& p : t->next.world.processes)
            if (p.instance == step.instance) mover = &p;
        const auto& code = prepared.code(mover->process);
        const auto& instr = code.code.at(t->pc_before);
        TraceStep ts{};
        ts.instance = step.instance;
        ts.process = mover->label;
        ts.step = instr.step;
        ts.line = instr.loc.line;
        ts.action = t->event.what;
        ts.involved = step.involved;
        r.effects.push_back({t->accesses, t->failed_assert, t->runtime_error});
        mark_accesses(*t, row, mover->label, ts, history, r);
        if (t->outcome == model::StepResult::Failed) ts.note = ts.note.empty() ? "fails" : ts.note;
        note_failures(*t, r.failures);
        s = std::move(t->next);
        take_loop_markers(machine, s, step.instance, witness);
        ts.shared_after = shared_state(prepared.program, s.world);
        r.worlds.push_back(s.world);
        note_state(s);
        r.witness.steps.push_back(std::move(ts));
    }
    bool stuck = true;
    try {
        for (size_t i = 0; i < s.world.processes.size() && stuck; ++i) stuck = machine.move(s, i).empty();
    } catch (const TooManyInputs&) {
        stuck = false;
    }
    if (stuck) r.outcome = machine.outcome_text(s);
    return r;
}

}  // namespace critsec::checker
