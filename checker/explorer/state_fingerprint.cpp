#include "checker/explorer/state_fingerprint.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>

namespace critsec::checker {
namespace {

using model::ProcessState;

// The explorer's states hashed word by word, strings and values included.
class Writer : public WordHasher {
public:
    using WordHasher::put;
    void put(const std::string& s) {
        put(static_cast<int64_t>(s.size()));
        size_t i = 0;
        for (; i + 8 <= s.size(); i += 8) {
            int64_t w;
            std::memcpy(&w, s.data() + i, 8);
            put(w);
        }
        if (i < s.size()) {
            int64_t w = 0;
            std::memcpy(&w, s.data() + i, s.size() - i);
            put(w);
        }
    }
    void put(const model::Value& v) {
        put(static_cast<int64_t>(v.v.index()));
        std::visit(
            [&](const auto& x) {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, int64_t>) put(x);
                else if constexpr (std::is_same_v<T, double>) {
                    int64_t bits;
                    std::memcpy(&bits, &x, sizeof bits);
                    put(bits);
                } else if constexpr (std::is_same_v<T, bool>) put(int64_t{x});
                else if constexpr (std::is_same_v<T, std::string>) put(x);
                else if constexpr (std::is_same_v<T, model::ProcRef> || std::is_same_v<T, model::Pid>) put(int64_t{x.instance});
                else if constexpr (std::is_same_v<T, model::FileHandle>) put(int64_t{x.open_index});
                else if constexpr (std::is_same_v<T, model::List>) {
                    put(static_cast<int64_t>(x.size()));
                    for (const auto& e : x) put(e);
                }
            },
            v.v);
    }
};

Fingerprint process_fingerprint(const ProcessState& p, const FingerprintRules& rules) {
    Writer w;
    w.put(int64_t{p.instance});
    w.put(int64_t{p.pc});
    w.put(int64_t{p.finished});
    w.put(p.error);
    w.put(int64_t{p.pending_signal * 256 + p.end_signal});
    w.put(int64_t{p.draws});
    w.put(static_cast<int64_t>(p.locals.size()));
    if (!p.finished && rules.quiet_ok[PreparedProgram::index_of(p.process)]) {
        const auto& quiet = rules.prepared.of(p.process).quiet_mask.at(p.pc);
        for (size_t k = 0; k < p.locals.size(); ++k)
            if (k >= quiet.size() || !quiet[k]) w.put(p.locals[k]);
            else w.put(int64_t{-1});
    } else {
        for (const auto& v : p.locals) w.put(v);
    }
    w.put(static_cast<int64_t>(p.globals.size()));
    for (const auto& v : p.globals) w.put(v);
    w.put(static_cast<int64_t>(p.files.size()));
    for (const auto& f : p.files) {
        w.put(int64_t{f.object});
        w.put(static_cast<int64_t>(f.mode));
        w.put(f.offset);
        w.put(f.ahead);
        w.put(f.buffered);
        w.put(int64_t{f.open});
    }
    w.put(int64_t{p.reading.has_value()});
    if (p.reading) {
        w.put(p.reading->got);
        w.put(p.reading->raw);
        w.put(p.reading->sampled);
    }
    w.put(static_cast<int64_t>(p.held_by_with.size()));
    for (int h : p.held_by_with) w.put(int64_t{h});
    w.put(static_cast<int64_t>(p.created.size()));
    for (const auto& c : p.created) {
        w.put(int64_t{c.started * 2 + c.joined + c.daemon * 4});
        for (const auto& a : c.args) w.put(a);
        w.put(c.name);
    }
    return w.finish();
}

}  // namespace

Fingerprint state_fingerprint(const MachineState& s, const FingerprintRules& rules) {
    Writer w;
    // Processes by instance; each one's own part is hashed once while states share it.
    std::vector<std::pair<int, size_t>> order;
    for (size_t i = 0; i < s.world.processes.size(); ++i) order.emplace_back(s.world.processes[i].instance, i);
    std::sort(order.begin(), order.end());
    for (const auto& [instance, i] : order) {
        Fingerprint own =
            s.world.processes.memo(i, rules.memo_owner, [&rules](const ProcessState& p) { return process_fingerprint(p, rules); });
        w.put(static_cast<int64_t>(own[0]));
        w.put(static_cast<int64_t>(own[1]));
        const ProcMonitor& m = s.mon.at(instance);
        for (int c : m.loop_count) w.put(int64_t{c});
        for (const auto& r : m.loads) {
            w.put(int64_t{r.object});
            w.put(r.cell);
            w.put(int64_t{r.stale});
        }
    }
    for (const auto& cells : s.world.cells)
        for (int64_t c : cells) w.put(c);
    for (int h : s.world.holder) w.put(int64_t{h});
    for (int h : s.world.hold_count) w.put(int64_t{h});
    for (const auto& f : s.world.files) {
        w.put(int64_t{f.exists});
        w.put(f.content);
    }
    w.put(static_cast<int64_t>(s.main_prints.size()));
    for (const auto& l : s.main_prints) w.put(l);
    for (char c : s.printed) w.put(int64_t{c});
    for (const auto& d : s.order_done)
        for (char c : d) w.put(int64_t{c});
    for (char c : s.order_broken) w.put(int64_t{c});
    w.put(int64_t{s.running});
    return w.finish();
}

uint64_t new_memo_owner() {
    static std::atomic<uint64_t> last{0};
    return ++last;
}

}  // namespace critsec::checker
