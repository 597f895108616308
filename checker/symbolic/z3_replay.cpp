#include "checker/symbolic/z3_replay.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "model/cpu_count.hpp"

namespace critsec::checker {
namespace {

using namespace critsec::model;

std::map<std::string, std::string> shared_state(const Program& program, const MemoryWorld& world) {
    std::map<std::string, std::string> out;
    for (size_t o = 0; o < program.objects.size(); ++o) {
        const auto& obj = program.objects[o];
        if (obj.kind == ObjectKind::Value) out[obj.name + ".value"] = std::to_string(world.cells[o][0]);
        else if (obj.kind == ObjectKind::Array) out[obj.name] = fmt::format("[{}]", fmt::join(world.cells[o], ", "));
        else if (obj.kind == ObjectKind::File)
            out["file " + obj.file_name] = world.files[o].exists ? fmt::format("{:?}", world.files[o].content) : "absent";
    }
    return out;
}

// Can the process move from this state (a copy of the world is used)?
bool blocked(const Program& program, const MemoryWorld& world, const ProcessState& state, const DrawSource& draws) {
    if (state.finished) return false;
    MemoryWorld w = world;
    ProcessState s = state;
    run_locals(program, s, w, draws);
    if (s.finished) return false;
    return execute_step(program, s, w) == model::StepResult::Blocked;
}

// The model's draws, as the witness's and as the replay's draw source.
void take_draws(const Encoding& enc, const z3::model& m, ReplayedModel& r) {
    std::map<std::pair<int, int>, int64_t> draw_values;
    for (const auto& d : enc.draws) {
        int64_t v = int_in(m, d.var);
        draw_values[{d.instance, d.index}] = v;
        r.witness.draws.push_back({d.instance, d.index, v});
    }
    std::sort(r.witness.draws.begin(), r.witness.draws.end(),
              [](const DrawValue& a, const DrawValue& b) { return std::tie(a.instance, a.index) < std::tie(b.instance, b.index); });
    for (const auto& d : r.witness.draws)
        if (d.instance == 0) r.witness.inputs.push_back(d.value);
    r.draws = [draw_values](int instance, int index, int64_t low, int64_t high) {
        auto it = draw_values.find({instance, index});
        int64_t v = it == draw_values.end() ? low : it->second;
        return std::clamp(v, low, high);
    };
}

// The executed steps of the model in timestamp order, one by one, with the
// lost-update marks of the rows as they come.
class StepReplay {
public:
    StepReplay(const Program& program, const Encoding& enc, const z3::model& m, ReplayedModel& r)
        : program_(program), enc_(enc), m_(m), r_(r) {}

    // False when the concrete run leaves the model's (r.mismatch says where).
    bool step(int id) {
        const EncodedEvent& e = enc_.events[id];
        MemoryWorld& world = r_.world;
        const ProcessState* p = world.lookup(e.instance);
        if (!p) return fail(fmt::format("{} moves before it is started", enc_.labels[e.instance]));
        ProcessState st = *p;
        run_locals(program_, st, world, r_.draws);
        if (st.finished) return fail(fmt::format("{} finished before step {}", st.label, e.step));
        if (st.pc != e.pc) return fail(fmt::format("{} is at pc {}, the encoding at pc {}", st.label, st.pc, e.pc));
        const ProcessTemplate& code = template_of(program_, st);
        const Instr& instr = code.code[st.pc];
        model::Event ev{};
        model::StepResult o = execute_step(program_, st, world, &ev);
        // Local code after the step runs at once: the process finishes, or fails locally, here.
        if (o == model::StepResult::Ran) run_locals(program_, st, world, r_.draws);
        *world.find(e.instance) = st;
        bool expect_fail = e.kind == EventKind::Fail;
        if (o == model::StepResult::Blocked) return fail(fmt::format("{} is blocked at step {}", st.label, e.step));
        if (expect_fail != (o == model::StepResult::Failed))
            return fail(fmt::format("{} {} at step {}, the encoding says it {}", st.label,
                                    o == model::StepResult::Failed ? "fails" : "succeeds", e.step, expect_fail ? "fails" : "succeeds"));
        TraceStep row;
        row.instance = e.instance;
        row.process = st.label;
        row.step = instr.step;
        row.line = instr.loc.line;
        row.action = expect_fail ? (ev.what.empty() ? "error: " + st.error : ev.what) : ev.what;
        if (!expect_fail && e.kind == EventKind::Load) note_load(e);
        if (!expect_fail && e.kind == EventKind::Store) note_store(e, std::get<Store>(instr.node), st, ev, row);
        row.shared_after = shared_state(program_, world);
        r_.witness.steps.push_back(std::move(row));
        return true;
    }

private:
    bool fail(std::string why) {
        r_.ok = false;
        r_.mismatch = std::move(why);
        return false;
    }

    void note_load(const EncodedEvent& e) {
        auto key = std::make_pair(e.object, int_in(m_, *e.cell));
        auto it = last_store_.find(key);
        seen_at_load_[{e.instance, e.pc}] = {key, it == last_store_.end() ? -1 : it->second};
    }

    // A store computed from a load of its cell overwrites another process's
    // store that load did not see: a lost update, marked on both rows.
    void note_store(const EncodedEvent& e, const Store& store, const ProcessState& st, const model::Event& ev, TraceStep& row) {
        auto key = std::make_pair(e.object, int_in(m_, *e.cell));
        auto it = last_store_.find(key);
        int current = it == last_store_.end() ? -1 : it->second;
        for (int from : store.read_from) {
            auto seen = seen_at_load_.find({e.instance, from});
            // A load of another cell (the value may flow from any load) cannot make this store stale.
            if (seen == seen_at_load_.end() || seen->second.first != key || current < 0 || seen->second.second == current) continue;
            const TraceStep& other = r_.witness.steps[current];
            if (other.instance == e.instance) continue;
            row.lost_write = true;
            row.note = fmt::format("stale: overwrites {}'s store at row {}", other.process, current + 1);
            r_.witness.steps[current].overwritten = true;
            if (!r_.lost)
                r_.lost_detail = fmt::format("{}'s store of {} overwrote {}'s, which it never read", st.label,
                                             ev.what.substr(6, ev.what.find(" = ") - 6), other.process);
            r_.lost = true;
            break;
        }
        last_store_[key] = static_cast<int>(r_.witness.steps.size());
    }

    const Program& program_;
    const Encoding& enc_;
    const z3::model& m_;
    ReplayedModel& r_;
    std::map<std::pair<int, int64_t>, int> last_store_;  // (object, cell) -> row
    std::map<std::pair<int, int>, std::pair<std::pair<int, int64_t>, int>> seen_at_load_;  // (instance, pc) -> its cell, row of the store it saw
};

}  // namespace

ReplayedModel::ReplayedModel(const Program& p) : world(p, model::machine_cpu_count()) {}  // predicts for this machine

int64_t int_in(const z3::model& m, const z3::expr& e) {
    z3::expr v = m.eval(e, true);
    int64_t out = 0;
    if (v.is_numeral() && !v.is_numeral_i64(out)) out = 0;
    return out;
}

bool true_in(const z3::model& m, const z3::expr& e) { return m.eval(e, true).is_true(); }

ReplayedModel replay_model(const Program& program, const Encoding& enc, const z3::model& m) {
    ReplayedModel r(program);
    take_draws(enc, m, r);
    std::vector<std::pair<int64_t, int>> schedule;
    for (const EncodedEvent& e : enc.events)
        if (e.is_step && true_in(m, e.exec)) schedule.push_back({int_in(m, e.t), e.id});
    std::sort(schedule.begin(), schedule.end());
    StepReplay steps(program, enc, m, r);
    for (auto [time, id] : schedule)
        if (!steps.step(id)) return r;
    for (size_t i = 0; i < r.world.processes.size(); ++i) run_locals(program, r.world.processes.edit(i), r.world, r.draws);
    return r;
}

bool terminal_state(const Program& program, const ReplayedModel& r, std::vector<std::string>* stuck) {
    bool all = true;
    for (const auto& p : r.world.processes) {
        if (p.finished) continue;
        if (!blocked(program, r.world, p, r.draws)) all = false;
        else if (stuck) stuck->push_back(p.label);
    }
    return all;
}

}  // namespace critsec::checker
