#include "checker/witness/trace_render.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "chart/text_fit.hpp"
#include "model/semantics.hpp"

namespace critsec::checker {
namespace {

nlohmann::json bigint(int64_t v) { return {{"#bigint", std::to_string(v)}}; }

std::vector<chart::Cell> cells_of(const std::map<std::string, std::string>& state) {
    std::vector<chart::Cell> cells;
    for (const auto& [name, value] : state) cells.push_back({name, value});
    return cells;
}

// The cells whose value differs from the state before, but for what the step
// says itself (`store total.value = 14`, `acquire lock` by its new holder,
// `release lock`): the column then shows only what the reader could not see.
std::vector<chart::Cell> changes(const std::map<std::string, std::string>& before, const std::map<std::string, std::string>& after,
                                 const TraceStep& step) {
    std::vector<chart::Cell> cells;
    for (const auto& [name, value] : after) {
        auto it = before.find(name);
        if (it != before.end() && it->second == value) continue;
        bool said = step.action.find(name + " = " + value) != std::string::npos ||
                    (step.action == "acquire " + name && value == step.process) || (step.action == "release " + name && value == "free");
        if (!said) cells.push_back({name, value});
    }
    return cells;
}

std::string label_of(const model::MemoryWorld& world, int instance) {
    const model::ProcessState* p = world.lookup(instance);
    return p ? p->label : fmt::format("#{}", instance);
}

// Nobody can move: what each unfinished process waits for, from the last world.
std::vector<chart::Wait> waits_of(const model::Program& program, const model::MemoryWorld& world) {
    std::vector<chart::Wait> waits;
    for (const auto& p : world.processes) {
        auto w = model::waiting_for(program, p);
        if (!w) continue;
        chart::Wait out{p.label, "", "", w->loc.line};
        if (w->kind == model::Waiting::Kind::Join) {
            out.short_text = "waits for " + label_of(world, w->child);
            out.text = fmt::format("joins {}, which has not finished", label_of(world, w->child));
            out.on = label_of(world, w->child);
        } else {
            const auto& o = program.objects.at(w->object);
            out.short_text = "waits for " + o.name;
            if (o.kind == model::ObjectKind::Semaphore) out.text = fmt::format("acquires {}, whose count is 0", o.name);
            else if (world.holder[w->object] < 0) out.text = fmt::format("acquires {}", o.name);
            else {
                out.on = label_of(world, world.holder[w->object]);
                out.text = fmt::format("acquires {}, held by {}", o.name, out.on);
            }
        }
        waits.push_back(std::move(out));
    }
    return waits;
}

}  // namespace

chart::Trace trace_of(const model::Program& program, const Replayed& r) {
    const Witness& w = r.witness;
    chart::Trace t;
    t.has_state = !r.worlds.empty();
    // Columns: main, then the children in the order of their instances.
    std::map<int, std::string> columns{{0, "main"}};
    for (const auto& s : w.steps) columns[s.instance] = s.process;
    for (const auto& [instance, name] : columns) t.processes.push_back(name);
    std::map<std::string, std::string> before;
    if (t.has_state) before = shared_state(program, r.worlds.front());
    t.initial = cells_of(before);
    for (const auto& s : w.steps) {
        chart::Row row;
        row.process = s.process;
        row.step = fmt::format("{}: {}", s.step, s.action);
        row.mark = s.lost_write ? chart::Mark::Stale : s.overwritten ? chart::Mark::Lost : chart::Mark::None;
        if (row.mark == chart::Mark::None && s.action.rfind("error:", 0) == 0) row.mark = chart::Mark::Failed;
        row.note = s.note;
        row.line = s.line;
        row.read_of = s.read_of;
        row.computed_from = s.computed_from;
        row.overwrites = s.overwrites;
        row.folded = !s.involved;
        if (t.has_state) row.changed = changes(before, s.shared_after, s);
        before = s.shared_after;
        t.rows.push_back(std::move(row));
    }
    t.cycle_from = w.cycle_from;
    if (!r.outcome.empty() && !r.worlds.empty()) t.waits = waits_of(program, r.worlds.back());
    t.failures = r.failures;
    return t;
}

std::string render_chart(const model::Program& program, const Replayed& r, const chart::Layout& layout) {
    std::string out;
    if (!r.witness.inputs.empty())
        out += chart::wrapped(fmt::format("inputs (main's randint draws): {}", fmt::join(r.witness.inputs, " ")), layout.width, 0, 2);
    return out + chart::render_text(trace_of(program, r), layout);
}

nlohmann::json render_itf(const model::Program& program, const Replayed& r, const std::string& description) {
    nlohmann::json vars = nlohmann::json::array();
    for (const auto& o : program.objects) vars.push_back(o.kind == model::ObjectKind::File ? "file " + o.file_name : o.name);
    vars.push_back("pc");
    vars.push_back("action");
    vars.push_back("actor");
    nlohmann::json states = nlohmann::json::array();
    std::map<std::string, std::string> pcs;
    for (size_t i = 0; i < r.worlds.size(); ++i) {
        const model::MemoryWorld& world = r.worlds[i];
        nlohmann::json st;
        st["#meta"] = {{"index", i}};
        for (size_t k = 0; k < program.objects.size(); ++k) {
            const auto& o = program.objects[k];
            switch (o.kind) {
                case model::ObjectKind::Value: st[o.name] = bigint(world.cells[k][0]); break;
                case model::ObjectKind::Array: {
                    nlohmann::json a = nlohmann::json::array();
                    for (int64_t v : world.cells[k]) a.push_back(bigint(v));
                    st[o.name] = a;
                    break;
                }
                case model::ObjectKind::Lock:
                    st[o.name] = world.holder[k] < 0 ? "free" : const_cast<model::MemoryWorld&>(world).pid_name(world.holder[k]);
                    break;
                case model::ObjectKind::Semaphore: st[o.name] = bigint(world.hold_count[k]); break;
                case model::ObjectKind::File:
                    st["file " + o.file_name] = {{"exists", world.files[k].exists}, {"content", world.files[k].content}};
                    break;
            }
        }
        nlohmann::json pc = nlohmann::json::object();
        for (const auto& p : world.processes) {
            const auto& code = p.process < 0 ? program.main.code : program.processes[p.process].code;
            int next = p.pc >= 0 && p.pc < static_cast<int>(code.size()) ? code[p.pc].step : 0;
            pc[p.label] = p.finished ? (p.error.empty() ? "done" : "failed") : next > 0 ? fmt::format("step {}", next) : "running";
        }
        if (i > 0) {
            const auto& s = r.witness.steps[i - 1];
            st["action"] = fmt::format("{}: {}", s.step, s.action);
            st["actor"] = s.process;
        } else {
            st["action"] = "init";
            st["actor"] = "main";
        }
        st["pc"] = pc;
        states.push_back(st);
    }
    nlohmann::json meta{{"format", "ITF"},
                        {"format-description", "https://apalache-mc.org/docs/adr/015adr-trace.html"},
                        {"source", program.spec_path},
                        {"description", description}};
    nlohmann::json inputs = nlohmann::json::array();
    for (int64_t v : r.witness.inputs) inputs.push_back(bigint(v));
    meta["inputs"] = inputs;
    nlohmann::json itf{{"#meta", meta}, {"vars", vars}, {"states", states}};
    if (r.witness.cycle_from >= 0) itf["loop"] = r.witness.cycle_from;  // ITF's lasso: the state the last one returns to
    return itf;
}

namespace {

Replayed replayed_or_throw(const PreparedProgram& prepared, const Witness& witness) {
    Replayed r = replay_witness(prepared, witness);
    if (!r.ok) throw std::runtime_error("the witness does not replay: " + r.problem);
    return r;
}

}  // namespace

std::string chart_of(const model::Program& program, const Witness& witness, const chart::Layout& layout) {
    PreparedProgram prepared = prepare(program);
    return render_chart(prepared.program, replayed_or_throw(prepared, witness), layout);
}

chart::Trace trace_for(const model::Program& program, const Witness& witness) {
    PreparedProgram prepared = prepare(program);
    return trace_of(prepared.program, replayed_or_throw(prepared, witness));
}

nlohmann::json itf_of(const model::Program& program, const Witness& witness, const std::string& description) {
    PreparedProgram prepared = prepare(program);
    return render_itf(prepared.program, replayed_or_throw(prepared, witness), description);
}

}  // namespace critsec::checker
