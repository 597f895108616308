#include "chart/sequence_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>

#include "chart/folding.hpp"
#include "chart/text_fit.hpp"

namespace critsec::chart {
namespace {

constexpr size_t kLabel = 4;         // the row label's column: "  12"
constexpr size_t kMinColumn = 16;    // narrower, a step's text says too little: one line per step instead
constexpr size_t kMaxColumn = 40;    // wider helps nobody: a print's long text is cut
constexpr size_t kMinState = 12;
constexpr size_t kNoteIndent = kLabel + 5;  // "  12   ^ " — notes start under the row's first cell

const char* mark_text(Mark m) {
    switch (m) {
        case Mark::Stale: return " [STALE]";
        case Mark::Lost: return " [LOST]";
        default: return "";
    }
}

std::string row_label(const Row& row, size_t index) { return row.number.empty() ? std::to_string(index + 1) : row.number; }

// A step's text cut to `width`, its mark kept whole (the mark is the point of the row).
std::string step_cell(const Row& row, size_t width, const Palette& palette) {
    std::string mark = mark_text(row.mark);
    size_t room = width > display_width(mark) ? width - display_width(mark) : 0;
    std::string text = clip(row.step, room);
    std::string shown = row.mark == Mark::Failed ? palette.paint(text, Paint::Bad) : text;
    return shown + palette.paint(mark, Paint::Bad) + std::string(width - std::min(width, display_width(text + mark)), ' ');
}

// The cells packed into lines of `width`, two spaces apart; a cell wider than a line wraps on its own.
std::vector<std::string> pack_cells(const std::vector<Cell>& cells, size_t width) {
    std::vector<std::string> lines;
    std::string line;
    for (const auto& c : cells) {
        std::string text = c.name + "=" + c.value;
        if (!line.empty() && display_width(line) + 2 + display_width(text) <= width) {
            line += "  " + text;
            continue;
        }
        if (!line.empty()) lines.push_back(line);
        line.clear();
        if (display_width(text) <= width) {
            line = text;
            continue;
        }
        for (auto& piece : wrap(text, width, 0, 0)) lines.push_back(piece);
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

std::string trimmed(std::string line) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line + "\n";
}

// What both layouts print around the rows.
struct Frame {
    const Trace& trace;
    const Layout& layout;

    // "       ^ Adder#1 (line 21): LOST: ...", wrapped under its own text.
    std::string note(const std::string& text, bool marked) const {
        std::string out;
        auto lines = wrap("^ " + text, layout.width, kNoteIndent - 2, kNoteIndent);
        for (size_t i = 0; i < lines.size(); ++i) {
            size_t lead = i == 0 ? kNoteIndent - 2 : kNoteIndent;
            std::string body = i == 0 ? lines[i] : lines[i].substr(lead);
            out += std::string(lead, ' ') + (marked ? layout.palette.paint(body, Paint::Bad) : body) + "\n";
        }
        return out;
    }
    std::string row_note(const Row& r) const {
        if (r.note.empty()) return "";
        std::string who = r.line > 0 ? fmt::format("{} (line {})", r.process, r.line) : r.process;
        return note(who + ": " + r.note, r.mark != Mark::None);
    }
    std::string initial_state() const {
        if (trace.initial.empty()) return "";
        return wrapped("shared state at the start: " + cells_text(trace.initial), layout.width, 0, 2);
    }
    std::string cycle_start(size_t row) const {
        if (trace.cycle_from < 0 || row != static_cast<size_t>(trace.cycle_from)) return "";
        return fmt::format("{:>{}} ~~ from here on, rows {}-{} repeat forever ~~\n", "", kLabel, row_label(trace.rows[row], row),
                           row_label(trace.rows.back(), trace.rows.size() - 1));
    }
    // A run of folded rows, one line across the table (wrapped under itself).
    std::string fold_line(const Row& r) const {
        return std::string(kLabel + 1, ' ') + wrapped("~~ " + r.step, layout.width, kLabel + 1, kLabel + 4);
    }
    std::string ending() const {
        std::string out;
        if (trace.cycle_from >= 0)
            out += fmt::format("{:>{}} ~~ back to the state before row {}: the cycle repeats forever ~~\n", "", kLabel,
                               row_label(trace.rows[trace.cycle_from], trace.cycle_from));
        if (!trace.after_rows.empty()) out += wrapped(trace.after_rows, layout.width, 0, 2);
        if (any_folded(trace) && !layout.fold_hint.empty()) out += wrapped(layout.fold_hint, layout.width, 0, 2);
        for (const auto& f : trace.failures) out += wrapped("failed: " + f, layout.width, 0, 2);
        return out;
    }
    std::string deadlock_rule() const {
        return trace.waits.empty() ? "" : fmt::format("{:>{}} ~~ nobody can move: each waits for the next ~~\n", "", kLabel);
    }
};

// One column per process: fits when every column keeps kMinColumn.
struct Columns {
    std::vector<size_t> widths;
    size_t state = 0;
};

}  // namespace

std::vector<std::string> lanes_of(const Trace& t) {
    std::vector<std::string> cols = t.processes;
    auto add = [&](const std::string& p) {
        if (std::find(cols.begin(), cols.end(), p) == cols.end()) cols.push_back(p);
    };
    for (const auto& r : t.rows)
        if (!r.folded) add(r.process);
    for (const auto& w : t.waits) add(w.process);
    return cols;
}

namespace {

size_t desired_state(const Trace& t) {
    if (!t.has_state) return 0;
    size_t w = display_width("changed");
    for (const auto& r : t.rows) w = std::max(w, display_width(cells_text(r.changed)));
    return std::min(w, kMaxColumn);
}

std::optional<Columns> fit_columns(const Trace& t, const std::vector<std::string>& cols, size_t width) {
    Columns c;
    std::map<std::string, size_t> want, need;
    for (const auto& p : cols) want[p] = need[p] = std::max<size_t>(display_width(p), 6);
    for (const auto& r : t.rows) {
        if (r.folded) continue;
        size_t w = display_width(r.step) + display_width(mark_text(r.mark));
        want[r.process] = std::max(want[r.process], w);
        if (!may_cut(r)) need[r.process] = std::max(need[r.process], w);
    }
    for (const auto& w : t.waits) want[w.process] = need[w.process] = std::max(want[w.process], display_width(w.short_text));
    std::vector<size_t> floor;
    for (const auto& p : cols) {
        c.widths.push_back(std::min(want[p], kMaxColumn));
        floor.push_back(std::min(std::max(need[p], kMinColumn), c.widths.back()));
    }
    size_t state_want = desired_state(t);
    c.state = t.has_state ? std::min(state_want, std::max(kMinState, width / 4)) : 0;
    size_t fixed = kLabel + 1 + (t.has_state ? 2 + c.state : 0);
    if (width <= fixed) return std::nullopt;
    size_t room = width - fixed;
    auto total = [&] { return std::accumulate(c.widths.begin(), c.widths.end(), size_t{0}) + 3 * c.widths.size(); };
    // Narrow the column with the most to spare first, never below what its steps need.
    while (total() > room) {
        size_t best = cols.size();
        for (size_t k = 0; k < cols.size(); ++k)
            if (c.widths[k] > floor[k] && (best == cols.size() || c.widths[k] - floor[k] > c.widths[best] - floor[best])) best = k;
        if (best == cols.size()) return std::nullopt;
        --c.widths[best];
    }
    if (t.has_state) c.state = std::min(state_want, std::max(c.state, width - fixed + c.state - total()));
    return c;
}

size_t table_width(const Trace& t, const Columns& c) {
    return kLabel + 1 + std::accumulate(c.widths.begin(), c.widths.end(), size_t{0}) + 3 * c.widths.size() + (t.has_state ? 2 + c.state : 0) - 1;
}

std::string render_columns(const Trace& t, const Frame& f, const std::vector<std::string>& cols, const Columns& c) {
    const Palette& paint = f.layout.palette;
    auto line_of = [&](const std::string& label, const std::vector<std::string>& cells, const std::string& state) {
        std::string line = fmt::format("{:>{}} ", label, kLabel);
        for (size_t k = 0; k < cols.size(); ++k) line += "| " + (cells[k].empty() ? std::string(c.widths[k], ' ') : cells[k]) + " ";
        if (t.has_state) line += "| " + state;
        return trimmed(line);
    };
    std::vector<std::string> blank(cols.size());
    std::vector<std::string> header(cols.size());
    for (size_t k = 0; k < cols.size(); ++k) header[k] = pad(clip(cols[k], c.widths[k]), c.widths[k]);
    std::string out = f.initial_state() + line_of("row", header, "changed") + std::string(table_width(t, c), '-') + "\n";
    auto column = [&](const std::string& p) { return static_cast<size_t>(std::find(cols.begin(), cols.end(), p) - cols.begin()); };
    for (size_t i = 0; i < t.rows.size(); ++i) {
        const Row& r = t.rows[i];
        out += f.cycle_start(i);
        if (r.folded) {
            out += f.fold_line(r);
            continue;
        }
        std::vector<std::string> cells = blank;
        size_t k = column(r.process);
        cells[k] = step_cell(r, c.widths[k], paint);
        std::vector<std::string> state = t.has_state ? pack_cells(r.changed, c.state) : std::vector<std::string>{};
        out += line_of(row_label(r, i), cells, state.empty() ? "" : state[0]);
        for (size_t s = 1; s < state.size(); ++s) out += line_of("", blank, state[s]);
        out += f.row_note(r);
    }
    out += f.deadlock_rule();
    for (const auto& w : t.waits) {
        std::vector<std::string> cells = blank;
        size_t k = column(w.process);
        cells[k] = paint.paint(pad(clip(w.short_text, c.widths[k]), c.widths[k]), Paint::Undecided);
        out += line_of("wait", cells, "");
        out += f.note(fmt::format("{} (line {}): {}", w.process, w.line, w.text), false);
    }
    return out + f.ending();
}

// One line per step, naming its process: for traces with more processes than columns fit.
std::string render_list(const Trace& t, const Frame& f, const std::vector<std::string>& cols) {
    size_t width = f.layout.width;
    size_t who = display_width("process");
    for (const auto& p : cols) who = std::max(who, display_width(p));
    size_t state = t.has_state ? std::min(desired_state(t), std::max(kMinState, width / 3)) : 0;
    size_t fixed = kLabel + 1 + who + 3 + 3 + (t.has_state ? 2 + state : 0);
    size_t step = display_width("step");
    for (const auto& r : t.rows)
        if (!r.folded) step = std::max(step, display_width(r.step) + display_width(mark_text(r.mark)));
    for (const auto& w : t.waits) step = std::max(step, display_width(w.short_text));
    step = std::min({step, std::max(kMinColumn, width > fixed ? width - fixed : 0), size_t{60}});
    if (t.has_state) state = std::max(state, std::min(desired_state(t), width > fixed - state + step ? width - (fixed - state + step) : 0));
    auto line_of = [&](const std::string& label, const std::string& process, const std::string& cell, const std::string& changed) {
        std::string line = fmt::format("{:>{}} | {} | {} ", label, kLabel, pad(process, who), cell.empty() ? std::string(step, ' ') : cell);
        if (t.has_state) line += "| " + changed;
        return trimmed(line);
    };
    size_t rule = kLabel + 1 + who + 3 + step + 3 + (t.has_state ? 2 + state : 0) - 1;
    std::string out = f.initial_state() + line_of("row", "process", pad("step", step), "changed") + std::string(rule, '-') + "\n";
    for (size_t i = 0; i < t.rows.size(); ++i) {
        const Row& r = t.rows[i];
        out += f.cycle_start(i);
        if (r.folded) {
            out += f.fold_line(r);
            continue;
        }
        std::vector<std::string> changed = t.has_state ? pack_cells(r.changed, state) : std::vector<std::string>{};
        out += line_of(row_label(r, i), r.process, step_cell(r, step, f.layout.palette), changed.empty() ? "" : changed[0]);
        for (size_t s = 1; s < changed.size(); ++s) out += line_of("", "", "", changed[s]);
        out += f.row_note(r);
    }
    out += f.deadlock_rule();
    for (const auto& w : t.waits) {
        out += line_of("wait", w.process, f.layout.palette.paint(pad(clip(w.short_text, step), step), Paint::Undecided), "");
        out += f.note(fmt::format("{} (line {}): {}", w.process, w.line, w.text), false);
    }
    return out + f.ending();
}

}  // namespace

bool may_cut(const Row& row) {
    size_t colon = row.step.find(": ");
    size_t start = colon != std::string::npos && colon < 6 ? colon + 2 : 0;
    return row.step.compare(start, 6, "print ") == 0 || row.step.compare(start, 6, "write ") == 0;
}

std::string cells_text(const std::vector<Cell>& cells) {
    std::string out;
    for (const auto& c : cells) out += (out.empty() ? "" : "  ") + c.name + "=" + c.value;
    return out;
}

std::string render_text(const Trace& given, const Layout& layout) {
    Trace trace = given;
    if (!layout.fold)
        for (auto& r : trace.rows) r.folded = false;
    if (any_folded(trace)) trace = gathered(trace);
    // No row changes anything its step does not say: no column for it (the start's state is still shown).
    if (std::all_of(trace.rows.begin(), trace.rows.end(), [](const Row& r) { return r.changed.empty(); })) trace.has_state = false;
    Frame frame{trace, layout};
    std::vector<std::string> cols = lanes_of(trace);
    if (auto fitted = fit_columns(trace, cols, layout.width)) return render_columns(trace, frame, cols, *fitted);
    return render_list(trace, frame, cols);
}

}  // namespace critsec::chart
