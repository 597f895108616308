#include "chart/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "chart/text_fit.hpp"

namespace critsec::chart {
namespace {

// Geometry, in px. Monospace text at 12px is about 7.2px a character.
constexpr int kMargin = 24;
constexpr int kRow = 32;
constexpr int kHead = 30;        // a lifeline's name box
constexpr int kStateLane = 400;  // the shared state column at the right
constexpr double kCharPx = 7.3;
constexpr size_t kStateChars = static_cast<size_t>((kStateLane - 12) / kCharPx);
constexpr size_t kFewestChars = 24, kMostChars = 48;  // a box's text: a print's is cut, any other step's fits

const char* mark_word(Mark m) { return m == Mark::Stale ? "  STALE" : m == Mark::Lost ? "  LOST" : ""; }

// A process's column: wide enough for the text of every step but prints, within limits.
struct Geometry {
    size_t chars = kFewestChars;
    int box() const { return static_cast<int>(chars * kCharPx) + 44; }  // the text, the line label, padding
    int lane() const { return box() + 24; }
};

Geometry geometry_of(const std::vector<TitledTrace>& charts) {
    Geometry g;
    for (const auto& c : charts) {
        for (const auto& r : c.trace.rows)
            if (!may_cut(r)) g.chars = std::max(g.chars, display_width(r.step) + display_width(mark_word(r.mark)));
        for (const auto& w : c.trace.waits) g.chars = std::max(g.chars, display_width(w.short_text) + 2);
    }
    g.chars = std::min(g.chars, kMostChars);
    return g;
}

bool shows_state(const Trace& t) {
    return !t.waits.empty() || std::any_of(t.rows.begin(), t.rows.end(), [](const Row& r) { return !r.changed.empty(); });
}

const char* kStyle = R"(<style>
  text { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 12px; fill: #1f2933; }
  .title { font-size: 15px; font-weight: bold; }
  .caption { font-size: 13px; fill: #52606d; }
  .head { fill: #e4ecf7; stroke: #3e6eb4; stroke-width: 1.2; }
  .headtext { font-weight: bold; fill: #1d3f72; }
  .life { stroke: #9aa5b1; stroke-width: 1; stroke-dasharray: 4 4; }
  .step { fill: #ffffff; stroke: #7b8794; stroke-width: 1; }
  .bad { fill: #fdecec; stroke: #c81e1e; stroke-width: 2; }
  .badtext { fill: #b01818; font-weight: bold; }
  .wait { fill: #fff6e0; stroke: #c77d00; stroke-width: 1.5; }
  .line { fill: #7b8794; font-size: 10px; }
  .state { fill: #334e68; }
  .rf { stroke: #7b8794; stroke-width: 1.2; fill: none; marker-end: url(#arrow); }
  .stale { stroke: #c81e1e; stroke-width: 1.6; fill: none; stroke-dasharray: 5 3; marker-end: url(#arrowbad); }
  .lost { stroke: #c81e1e; stroke-width: 1.6; fill: none; marker-end: url(#arrowbad); }
  .waitfor { stroke: #c77d00; stroke-width: 1.6; fill: none; marker-end: url(#arrowwait); }
  .cycle { stroke: #6b46c1; stroke-width: 2; fill: none; }
  .cycletext { fill: #6b46c1; font-weight: bold; }
  .small { font-size: 10px; }
</style>
<defs>
  <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#7b8794"/></marker>
  <marker id="arrowbad" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#c81e1e"/></marker>
  <marker id="arrowwait" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#c77d00"/></marker>
</defs>
)";

std::string text_at(int x, int y, const std::string& text, const std::string& cls = "", const std::string& anchor = "start") {
    return fmt::format("<text x=\"{}\" y=\"{}\"{}{}>{}</text>\n", x, y, cls.empty() ? "" : fmt::format(" class=\"{}\"", cls),
                       anchor == "start" ? "" : fmt::format(" text-anchor=\"{}\"", anchor), xml_escaped(text));
}

struct Lanes {
    std::vector<std::string> names;
    Geometry g;
    int x(const std::string& process) const {
        auto it = std::find(names.begin(), names.end(), process);
        return kMargin + static_cast<int>(it - names.begin()) * g.lane() + g.lane() / 2;
    }
    int state_x() const { return kMargin + static_cast<int>(names.size()) * g.lane() + 8; }
};

// An arrow between two step boxes (row a to row b), bowed so that arrows between the same lanes do not overlap.
std::string arrow(const Lanes& lanes, const Trace& t, int from, int to, int top, const std::string& cls, const std::string& label = "") {
    const int box = lanes.g.box();
    int x1 = lanes.x(t.rows[from].process), x2 = lanes.x(t.rows[to].process);
    int y1 = top + from * kRow + kRow / 2, y2 = top + to * kRow + kRow / 2;
    if (x1 == x2) {  // the same lane: a bow out to the right of the boxes
        int bx = x1 + box / 2 + 18;
        std::string path = fmt::format("<path class=\"{}\" d=\"M{},{} C{},{} {},{} {},{}\"/>\n", cls, x1 + box / 2, y1, bx, y1, bx, y2, x2 + box / 2, y2);
        return path + (label.empty() ? "" : text_at(bx - 2, (y1 + y2) / 2 + 4, label, "badtext small"));
    }
    int sx = x1 < x2 ? x1 + box / 2 : x1 - box / 2, ex = x1 < x2 ? x2 - box / 2 : x2 + box / 2;
    std::string path = fmt::format("<path class=\"{}\" d=\"M{},{} C{},{} {},{} {},{}\"/>\n", cls, sx, y1, (sx + ex) / 2, y1, (sx + ex) / 2, y2, ex, y2);
    return path + (label.empty() ? "" : text_at((sx + ex) / 2 + 4, (y1 + y2) / 2 - 3, label, "badtext small"));
}

// One chart from `top`; returns its SVG and moves `top` below it.
std::string one_chart(const TitledTrace& titled, int& top, int width, const Geometry& g) {
    const Trace& t = titled.trace;
    Lanes lanes{lanes_of(t), g};
    const int box = g.box();
    const size_t box_chars = g.chars;
    std::string out = text_at(kMargin, top + 16, titled.title, "title");
    top += 26;
    if (!t.initial.empty()) {
        out += text_at(kMargin, top + 12, clip("shared state at the start: " + cells_text(t.initial), (width - 2 * kMargin) / 7), "caption");
        top += 22;
    }
    int heads = top;
    int rows_top = heads + kHead + 12;
    int bottom = rows_top + static_cast<int>(t.rows.size() + t.waits.size()) * kRow + 8;
    for (const auto& name : lanes.names) {
        int x = lanes.x(name);
        out += fmt::format("<rect class=\"head\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"5\"/>\n", x - box / 2, heads, box, kHead);
        out += text_at(x, heads + 19, name, "headtext", "middle");
        out += fmt::format("<line class=\"life\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", x, heads + kHead, x, bottom);
    }
    if (shows_state(t)) out += text_at(lanes.state_x(), heads + 19, t.waits.empty() ? "shared state it changes" : "shared state it changes, waits", "headtext");
    for (size_t i = 0; i < t.rows.size(); ++i) {
        const Row& r = t.rows[i];
        int x = lanes.x(r.process), y = rows_top + static_cast<int>(i) * kRow;
        bool bad = r.mark != Mark::None;
        std::string mark = mark_word(r.mark);
        out += fmt::format("<g><title>{}</title>\n", xml_escaped(r.process + (r.line ? fmt::format(" (line {})", r.line) : "") + ": " + r.step +
                                                                  (r.note.empty() ? "" : "\n" + r.note)));
        out += fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\"/>\n", bad ? "bad" : "step", x - box / 2,
                           y + 3, box, kRow - 6);
        std::string label = r.line ? fmt::format("L{}", r.line) : "";
        out += text_at(x - box / 2 + 6, y + kRow / 2 + 4, clip(r.step, box_chars - display_width(mark)) + mark, bad ? "badtext" : "");
        if (!label.empty()) out += text_at(x + box / 2 - 4, y + kRow / 2 + 4, label, "line", "end");
        out += "</g>\n";
        if (!r.changed.empty()) out += text_at(lanes.state_x(), y + kRow / 2 + 4, clip(cells_text(r.changed), kStateChars), "state");
    }
    // Arrows last, over the boxes: reads-from in grey, what a stale store did in red.
    for (size_t i = 0; i < t.rows.size(); ++i) {
        const Row& r = t.rows[i];
        int n = static_cast<int>(t.rows.size());
        if (r.read_of >= 0 && r.read_of < n && t.rows[r.read_of].process != r.process)
            out += arrow(lanes, t, r.read_of, static_cast<int>(i), rows_top, "rf");
        if (r.computed_from >= 0 && r.computed_from < n)
            out += arrow(lanes, t, r.computed_from, static_cast<int>(i), rows_top, "stale", "computed from");
        if (r.overwrites >= 0 && r.overwrites < n) out += arrow(lanes, t, r.overwrites, static_cast<int>(i), rows_top, "lost", "overwrites");
    }
    if (t.cycle_from >= 0 && !t.rows.empty()) {
        int y1 = rows_top + t.cycle_from * kRow + 3, y2 = rows_top + static_cast<int>(t.rows.size()) * kRow - 3;
        out += fmt::format("<path class=\"cycle\" d=\"M{},{} L{},{} L{},{} L{},{}\"/>\n", kMargin - 4, y1, kMargin - 14, y1, kMargin - 14, y2,
                           kMargin - 4, y2);
        out += text_at(kMargin - 10, y2 + 14, "↻ rows " + std::to_string(t.cycle_from + 1) + "–" + std::to_string(t.rows.size()) + " repeat forever",
                       "cycletext");
    }
    for (size_t k = 0; k < t.waits.size(); ++k) {
        const Wait& w = t.waits[k];
        int x = lanes.x(w.process), y = rows_top + static_cast<int>(t.rows.size() + k) * kRow;
        out += fmt::format("<g><title>{}</title>\n", xml_escaped(fmt::format("{} (line {}): {}", w.process, w.line, w.text)));
        out += fmt::format("<rect class=\"wait\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\"/>\n", x - box / 2, y + 3, box, kRow - 6);
        out += text_at(x - box / 2 + 6, y + kRow / 2 + 4, clip(w.short_text, box_chars - 4));
        out += text_at(x + box / 2 - 4, y + kRow / 2 + 4, fmt::format("L{}", w.line), "line", "end");
        out += "</g>\n";
        if (!w.on.empty() && std::find(lanes.names.begin(), lanes.names.end(), w.on) != lanes.names.end()) {
            int tx = lanes.x(w.on), ty = y + kRow / 2;
            int sx = tx > x ? x + box / 2 : x - box / 2;
            int ex = tx > x ? tx - 6 : tx + 6;
            out += fmt::format("<path class=\"waitfor\" d=\"M{},{} L{},{}\"/>\n", sx, ty, ex, ty);
        }
        if (!w.text.empty()) out += text_at(lanes.state_x(), y + kRow / 2 + 4, clip(w.text, kStateChars), "state");
    }
    top = bottom + 8;
    for (const auto& f : t.failures) {
        out += text_at(kMargin, top + 14, clip("failed: " + f, (width - 2 * kMargin) / 7), "badtext");
        top += 20;
    }
    top += 24;
    return out;
}

// What the arrows mean, for the kinds drawn.
struct ArrowKinds {
    bool reads = false, stale = false, lost = false;
    bool any() const { return reads || stale || lost; }
};

ArrowKinds arrow_kinds(const std::vector<TitledTrace>& charts) {
    ArrowKinds k;
    for (const auto& c : charts)
        for (const auto& r : c.trace.rows) {
            k.reads = k.reads || r.read_of >= 0;
            k.stale = k.stale || r.computed_from >= 0;
            k.lost = k.lost || r.overwrites >= 0;
        }
    return k;
}

std::string legend(const ArrowKinds& kinds, int& top) {
    std::string out;
    int x = kMargin;
    auto item = [&](bool shown, const char* cls, const std::string& text) {
        if (!shown) return;
        out += fmt::format("<path class=\"{}\" d=\"M{},{} L{},{}\"/>\n", cls, x, top, x + 40, top);
        out += text_at(x + 48, top + 4, text, "caption");
        x += 48 + static_cast<int>(display_width(text) * 8.0) + 28;
    };
    item(kinds.reads, "rf", "a load, from the write it read");
    item(kinds.stale, "stale", "a stale store, from the read it was computed from");
    item(kinds.lost, "lost", "the write it overwrote (lost)");
    top += 24;
    return out;
}

}  // namespace

std::string xml_escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                // XML 1.0 has no place for most control characters: a spec's string may hold them.
                if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += "?";
                else out += c;
        }
    }
    return out;
}

std::string render_svg(const std::string& caption, const std::vector<TitledTrace>& charts) {
    Geometry g = geometry_of(charts);
    size_t lanes = 1;
    bool state = false;
    for (const auto& c : charts) {
        lanes = std::max(lanes, lanes_of(c.trace).size());
        state = state || shows_state(c.trace);
    }
    ArrowKinds arrows = arrow_kinds(charts);
    int width = std::max(2 * kMargin + static_cast<int>(lanes) * g.lane() + (state ? kStateLane : 0), arrows.any() ? 1180 : 0);
    int top = kMargin;
    std::string body = text_at(kMargin, top + 14, caption, "caption");
    top += 28;
    for (const auto& c : charts) body += one_chart(c, top, width, g);
    if (arrows.any()) body += legend(arrows, top);
    return fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\">\n"
                       "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n{2}{3}</svg>\n",
                       width, top, kStyle, body);
}

}  // namespace critsec::chart
