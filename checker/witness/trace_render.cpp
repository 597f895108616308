#include "checker/witness/trace_render.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace critsec::checker {
namespace {

// Display width of UTF-8 text (code points; the charts use no wide characters).
size_t width(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::string pad(const std::string& s, size_t w) { return s + std::string(w > width(s) ? w - width(s) : 0, ' '); }

std::string clip(const std::string& s, size_t w) {
    if (width(s) <= w) return s;
    std::string out;
    size_t n = 0;
    for (size_t i = 0; i < s.size() && n + 1 < w; ++i) {
        out += s[i];
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++n;
    }
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0xC0) out.pop_back();
    return out + "…";
}

nlohmann::json bigint(int64_t v) { return {{"#bigint", std::to_string(v)}}; }

std::string shared_text(const std::map<std::string, std::string>& m) {
    std::vector<std::string> parts;
    for (const auto& [k, v] : m) parts.push_back(k + "=" + v);
    return fmt::format("{}", fmt::join(parts, "  "));
}

std::string step_cell(const TraceStep& s) {
    return fmt::format("{}: {}", s.step, s.action) + (s.lost_write ? " [STALE]" : s.overwritten ? " [LOST]" : "");
}

// A lasso's cycle: a rule before its first row, and a line after its last.
std::string cycle_start(const Witness& w, size_t row) {
    if (w.cycle_from < 0 || row != static_cast<size_t>(w.cycle_from)) return "";
    return fmt::format("{:>4} ~~ from here on, rows {}-{} repeat forever ~~\n", "", row + 1, w.steps.size());
}

std::string cycle_end(const Witness& w) {
    if (w.cycle_from < 0) return "";
    return fmt::format("{:>4} ~~ back to the state before row {}: the cycle repeats forever ~~\n", "", w.cycle_from + 1);
}

// Past a dozen processes a column each makes rows wider than any screen (250
// adders: 6.8 MB of mostly blanks); one line per step, naming its process, reads better.
constexpr size_t kMaxColumns = 12;

std::string render_list(const model::Program& program, const Replayed& r) {
    const Witness& w = r.witness;
    size_t who = 7, what = 10;
    for (const auto& s : w.steps) {
        who = std::max(who, width(s.process));
        what = std::min<size_t>(60, std::max(what, width(step_cell(s))));
    }
    std::string out;
    if (!w.inputs.empty()) out += fmt::format("inputs (main's randint draws): {}\n", fmt::join(w.inputs, " "));
    std::string header = fmt::format("{:>4} | {} | {} | shared after", "row", pad("process", who), pad("step", what));
    out += header + "\n" + std::string(width(header), '-') + "\n";
    if (!r.worlds.empty())
        out += fmt::format("{:>4} | {} | {} | {}   (initially)\n", "", pad("", who), pad("", what),
                           shared_text(shared_state(program, r.worlds.front())));
    for (size_t i = 0; i < w.steps.size(); ++i) {
        const auto& s = w.steps[i];
        std::string mark = s.lost_write ? " [STALE]" : s.overwritten ? " [LOST]" : "";
        std::string cell = clip(fmt::format("{}: {}", s.step, s.action), what - mark.size()) + mark;
        out += cycle_start(w, i);
        out += fmt::format("{:>4} | {} | {} | {}\n", i + 1, pad(s.process, who), pad(cell, what), shared_text(s.shared_after));
        if (!s.note.empty()) out += fmt::format("{:>4}   ^ {} (line {}): {}\n", "", s.process, s.line, s.note);
    }
    out += cycle_end(w);
    for (const auto& f : r.failures) out += fmt::format("failed: {}\n", f);
    return out;
}

}  // namespace

std::string render_chart(const model::Program& program, const Replayed& r) {
    const Witness& w = r.witness;
    // Columns: main, then the children in the order they first appear.
    std::vector<int> columns{0};
    std::map<int, std::string> label{{0, "main"}};
    for (const auto& s : w.steps) {
        if (!std::count(columns.begin(), columns.end(), s.instance)) columns.push_back(s.instance);
        label[s.instance] = s.process;
    }
    std::sort(columns.begin(), columns.end());
    if (columns.size() > kMaxColumns) return render_list(program, r);
    const size_t cap = std::clamp<size_t>(200 / columns.size(), 24, 40);  // narrower columns when there are many
    std::map<int, size_t> col_width;
    for (int c : columns) col_width[c] = std::min(cap, std::max<size_t>(width(label[c]), 6));
    for (const auto& s : w.steps) {
        col_width[s.instance] = std::min(cap, std::max(col_width[s.instance], width(step_cell(s))));
    }
    std::string out;
    if (!w.inputs.empty()) out += fmt::format("inputs (main's randint draws): {}\n", fmt::join(w.inputs, " "));
    std::string header = fmt::format("{:>4} ", "row");
    for (int c : columns) header += "| " + pad(clip(label[c], col_width[c]), col_width[c]) + " ";
    header += "| shared after";
    out += header + "\n";
    std::string rule(width(header), '-');
    out += rule + "\n";
    if (!r.worlds.empty()) {
        std::string first = fmt::format("{:>4} ", "");
        for (int c : columns) first += "| " + pad("", col_width[c]) + " ";
        out += first + "| " + shared_text(shared_state(program, r.worlds.front())) + "   (initially)\n";
    }
    for (size_t i = 0; i < w.steps.size(); ++i) {
        const auto& s = w.steps[i];
        out += cycle_start(w, i);
        std::string line = fmt::format("{:>4} ", i + 1);
        for (int c : columns) {
            std::string cell;
            if (c == s.instance) {
                std::string mark = s.lost_write ? " [STALE]" : s.overwritten ? " [LOST]" : "";
                cell = clip(fmt::format("{}: {}", s.step, s.action), col_width[c] - mark.size()) + mark;
            }
            line += "| " + pad(cell, col_width[c]) + " ";
        }
        line += "| " + shared_text(s.shared_after);
        out += line + "\n";
        if (!s.note.empty()) out += fmt::format("{:>4}   ^ {} (line {}): {}\n", "", s.process, s.line, s.note);
    }
    out += cycle_end(w);
    for (const auto& f : r.failures) out += fmt::format("failed: {}\n", f);
    return out;
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

std::string chart_of(const model::Program& program, const Witness& witness) {
    PreparedProgram prepared = prepare(program);
    return render_chart(prepared.program, replayed_or_throw(prepared, witness));
}

nlohmann::json itf_of(const model::Program& program, const Witness& witness, const std::string& description) {
    PreparedProgram prepared = prepare(program);
    return render_itf(prepared.program, replayed_or_throw(prepared, witness), description);
}

}  // namespace critsec::checker
