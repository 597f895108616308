#include "checker/explorer/machine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "checker/explorer/state_fingerprint.hpp"

namespace critsec::checker {
namespace {

using model::Instr;
using model::ProcessState;

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

int line_at(const model::ProcessTemplate& code, int pc) {
    return pc >= 0 && pc < static_cast<int>(code.code.size()) ? code.code[pc].loc.line : 0;
}

// The world as a Join step sees it, without copying it: whether the child has
// finished. A blocked move is then answered without copying the whole state.
// Anything else a step could ask of the world ends the probe.
class JoinProbe : public model::World {
public:
    struct Unanswered {};
    explicit JoinProbe(const LoggingWorld& world) : world_(const_cast<LoggingWorld&>(world)) {}  // join() and pid_name() only read
    bool join(int instance) override { return world_.join(instance); }
    bool try_join(int, double) override { throw Unanswered{}; }
    std::optional<int64_t> exit_code(int) override { throw Unanswered{}; }
    void send_signal(int, int) override { throw Unanswered{}; }
    std::string pid_name(int instance) override { return world_.pid_name(instance); }
    int64_t cpu_count() override { return world_.cpu_count(); }
    int64_t load(int, int64_t) override { throw Unanswered{}; }
    void store(int, int64_t, int64_t) override { throw Unanswered{}; }
    bool acquire(int, int) override { throw Unanswered{}; }
    bool try_acquire(int, int, double) override { throw Unanswered{}; }
    std::string release(int, int) override { throw Unanswered{}; }
    bool file_exists(int) override { throw Unanswered{}; }
    int file_open(int, bool, bool) override { throw Unanswered{}; }
    std::string file_pread(int, int64_t, int64_t) override { throw Unanswered{}; }
    void file_pwrite(int, int64_t, const std::string&) override { throw Unanswered{}; }
    int64_t file_append(int, const std::string&) override { throw Unanswered{}; }
    int64_t file_size(int) override { throw Unanswered{}; }
    void file_close(int) override { throw Unanswered{}; }
    void print(int, const std::string&) override { throw Unanswered{}; }
    void sleep(int, double) override { throw Unanswered{}; }
    void start(const ProcessState&) override { throw Unanswered{}; }

private:
    LoggingWorld& world_;
};

bool join_blocks(const model::Program& program, const ProcessState& process, const LoggingWorld& world) {
    ProcessState scratch = process;
    JoinProbe probe(world);
    try {
        return model::execute_step(program, scratch, probe) == model::StepResult::Blocked;
    } catch (const JoinProbe::Unanswered&) {
        return false;  // the real move will tell
    }
}

// The draws of one move's next run, in odometer order over their ranges (the
// last draw fastest); false after the last combination.
bool next_combination(std::vector<int64_t>& plan, const std::vector<std::pair<int64_t, int64_t>>& ranges, size_t used) {
    plan.resize(used);
    int j = static_cast<int>(used) - 1;
    while (j >= 0 && plan[j] >= ranges[j].second) --j;
    if (j < 0) return false;
    plan.resize(j + 1);
    ++plan[j];
    return true;
}

}  // namespace

Machine::Machine(const PreparedProgram& prepared, Watch watch, DrawPolicy draws, int bound, bool serial, bool lost_updates)
    : prepared_(&prepared),
      watch_(std::move(watch)),
      draws_(std::move(draws)),
      bound_(bound),
      serial_(serial),
      lost_updates_(lost_updates),
      memo_owner_(new_memo_owner()) {
    // Children's prints are not part of an outcome: unless a `prints` watch looks at a
    // template, values that only reach its prints need not tell states apart.
    quiet_ok_.assign(prepared.facts.size(), 1);
    quiet_ok_[0] = 0;
    // is_alive(), exitcode and a timed join see whether a child has ended: its last
    // step is then visible to them, never private (taken alone, it would always come
    // before the look, and "still running" would be lost).
    auto observes_end = [](const model::ProcessTemplate& t) {
        return std::any_of(t.code.begin(), t.code.end(), [](const model::Instr& i) {
            const auto* j = std::get_if<model::Join>(&i.node);
            return std::holds_alternative<model::Poll>(i.node) || (j && j->timeout);
        });
    };
    ends_observed_ = observes_end(prepared.program.main) ||
                     std::any_of(prepared.program.processes.begin(), prepared.program.processes.end(), observes_end);
    // A try or a timed wait on a semaphore fails before its signal and succeeds after.
    tried_.assign(prepared.program.objects.size(), 0);
    auto note_tries = [&](const model::ProcessTemplate& t) {
        for (const auto& i : t.code)
            if (const auto* a = std::get_if<model::Acquire>(&i.node); a && a->wait != model::AcquireWait::Block) tried_.at(a->object) = 1;
    };
    note_tries(prepared.program.main);
    for (const auto& t : prepared.program.processes) note_tries(t);
    for (size_t k = 0; k < prepared.program.processes.size(); ++k)
        for (const auto& w : watch_.prints)
            if (w.label.rfind(prepared.program.processes[k].name + "#", 0) == 0) quiet_ok_[k + 1] = 0;
}

void Machine::ensure_monitors(MachineState& s) const {
    size_t n = static_cast<size_t>(prepared_->program.total_instances()) + 1;
    s.mon.resize(n);
    for (const auto& p : s.world.processes) {
        auto& m = s.mon.at(p.instance);
        const auto& f = prepared_->of(p.process);
        if (m.loop_count.size() != f.loops.size()) m.loop_count.assign(f.loops.size(), 0);
        size_t loads = lost_updates_ ? static_cast<size_t>(f.tracked_loads) : 0;
        if (m.loads.size() != loads) m.loads.assign(loads, {});
    }
    s.printed.resize(watch_.prints.size(), 0);
    s.order_done.resize(watch_.orders.size(), std::vector<char>(n, 0));
    s.order_broken.resize(watch_.orders.size(), 0);
}

std::vector<Transition> Machine::initial() const {
    Transition mid = Transition(MachineState(prepared_->program), -1);
    ensure_monitors(mid.next);
    return run_locals_enumerated(std::move(mid), {0}, nullptr);
}

std::vector<Transition> Machine::move(const MachineState& state, size_t index) const { return run_move(state, index, nullptr); }

std::optional<Transition> Machine::replay(const MachineState& state, int instance, const std::vector<DrawValue>& draws,
                                          const std::vector<int64_t>& main_inputs) const {
    Lookup lookup = [&](int inst, int k) -> std::optional<int64_t> {
        for (const auto& d : draws)
            if (d.instance == inst && d.index == k) return d.value;
        if (inst == 0 && k < static_cast<int>(main_inputs.size())) return main_inputs[k];
        return std::nullopt;
    };
    std::vector<Transition> out;
    if (instance < 0) {
        Transition mid = Transition(MachineState(prepared_->program), -1);
        ensure_monitors(mid.next);
        out = run_locals_enumerated(std::move(mid), {0}, &lookup);
    } else {
        for (size_t i = 0; i < state.world.processes.size(); ++i)
            if (state.world.processes[i].instance == instance) out = run_move(state, i, &lookup);
    }
    if (out.empty()) return std::nullopt;
    return std::move(out.front());
}

bool Machine::step_kind_may_be_private(const MachineState& state, size_t index) const {
    const ProcessState& p = state.world.processes[index];
    if (p.finished) return false;
    const auto& code = prepared_->code(p.process).code;
    if (p.pc >= static_cast<int>(code.size())) return false;
    const auto& node = code[p.pc].node;
    if (std::holds_alternative<model::Print>(node) || std::holds_alternative<model::Sleep>(node) ||
        std::holds_alternative<model::AssertStep>(node) || std::holds_alternative<model::FileSeek>(node) ||
        std::holds_alternative<model::FileClose>(node))
        return true;
    // A join that waits stays enabled once enabled; a timed one tells whether the child has ended.
    if (const auto* j = std::get_if<model::Join>(&node)) return !j->timeout;
    // Starting a child touches nothing shared, unless a watch counts processes.
    // (An order watch may see the child end at once, if it has no step.)
    if (std::holds_alternative<model::Start>(node)) return watch_.overlaps.empty() && watch_.orders.empty();
    // A semaphore's signal never fails, and it commutes with every other step,
    // waits included: no step disables it, and a wait it enables is still
    // enabled afterwards. (A Lock's release does not: another process's release
    // of it fails differently before and after; nor does a BoundedSemaphore's,
    // which fails at its bound: whether it does depends on the other steps; nor
    // does any signal of a semaphore someone tries with acquire(False) or a
    // timeout: the try fails before it and succeeds after.)
    if (const auto* r = std::get_if<model::Release>(&node)) {
        const auto& object = prepared_->program.objects.at(r->object);
        return object.kind == model::ObjectKind::Semaphore && !object.bounded && !tried_.at(r->object);
    }
    // A load whose value only reaches prints nobody looks at.
    if (const auto* l = std::get_if<model::Load>(&node)) {
        const auto& f = prepared_->of(p.process);
        if (!quiet_ok_[PreparedProgram::index_of(p.process)] || f.tracked_load[p.pc] >= 0 || l->target.global) return false;
        if (l->index && !std::holds_alternative<model::Const>(l->index->node)) return false;
        const auto& after = f.quiet.at(p.pc + 1);
        const auto& dead = f.dead.at(p.pc + 1);
        return std::find(after.begin(), after.end(), l->target.slot) != after.end() ||
               std::find(dead.begin(), dead.end(), l->target.slot) != dead.end();
    }
    return false;
}

std::vector<Transition> Machine::run_move(const MachineState& state, size_t index, const Lookup* replay) const {
    const ProcessState& before = state.world.processes[index];
    if (before.finished) return {};
    if (before.pending_signal != 0) return {signal_end(state, index)};
    if (serial_ && state.running >= 0 && before.instance != state.running) return {};
    const auto& code = prepared_->code(before.process);
    if (before.pc >= static_cast<int>(code.code.size())) return {};
    const Instr& instr = code.code[before.pc];
    if (std::holds_alternative<model::Join>(instr.node) && join_blocks(prepared_->program, before, state.world)) return {};
    // An acquire blocks, or not, on the world alone: answered without copying the state.
    if (const auto* a = std::get_if<model::Acquire>(&instr.node);
        a && a->wait == model::AcquireWait::Block && !state.world.can_acquire(a->object, before.instance))
        return {};

    Transition t = Transition(state, before.instance);
    t.pc_before = before.pc;
    bool held = !before.held_by_with.empty();
    size_t count_before = t.next.world.processes.size();
    // The step runs on the new state's own copy of the process (a blocked one is
    // dropped whole). A start appends to `processes`: room is made first, so
    // that the process does not move while its step runs.
    if (std::holds_alternative<model::Start>(instr.node)) t.next.world.processes.reserve(count_before + 1);
    t.next.world.log = lost_updates_ ? &t.accesses : nullptr;
    t.outcome = model::execute_step(prepared_->program, t.next.world.processes[index], t.next.world, &t.event);
    t.next.world.log = nullptr;
    if (t.outcome == model::StepResult::Blocked) return {};
    ensure_monitors(t.next);
    const ProcessState& after = t.next.world.processes[index];

    int loop = prepared_->of(before.process).marker_loop[t.pc_before];
    if (loop >= 0) {
        if (bound_ > 0) ++t.next.mon.at(after.instance).loop_count[loop];
        t.move.marker = true;
    }
    follow_loads(t, before, index);
    if (t.outcome == model::StepResult::Failed) {
        const auto* a = std::get_if<model::AssertStep>(&instr.node);
        if (a && starts_with(after.error, "AssertionError")) t.failed_assert = a->assert_id;
        else t.runtime_error = fmt::format("{}: {}", after.label, after.error);
    }
    bool candidate = step_kind_may_be_private(state, index) && !(t.outcome == model::StepResult::Failed && held);
    if (loop < 0) watch_events(t, after.instance, after.process, instr.loc.line, false);

    std::vector<size_t> indices{index};
    for (size_t i = count_before; i < t.next.world.processes.size(); ++i) indices.push_back(i);
    auto out = run_locals_enumerated(std::move(t), indices, replay);
    for (auto& tr : out) {
        const ProcessState& now = tr.next.world.processes[index];
        tr.is_private = candidate && unwatched(state, tr, now, before.process, instr.loc.line);
        if (serial_ && now.instance != 0) tr.next.running = now.finished ? -1 : now.instance;
    }
    return out;
}

// A process sent a signal ends by it at its next move, wherever it is (a blocked
// one too): nothing it holds is released.
Transition Machine::signal_end(const MachineState& state, size_t index) const {
    const ProcessState& before = state.world.processes[index];
    Transition t = Transition(state, before.instance);
    t.pc_before = before.pc;
    t.outcome = model::StepResult::Finished;
    model::end_by_signal(t.next.world.processes.edit(index), &t.event);
    ensure_monitors(t.next);
    after_locals(t, index, false);
    if (serial_) t.next.running = -1;
    return t;
}

// Nobody can move but main at a join(timeout) of a child that cannot end: without
// the timeout, a deadlock. The processes that wait, main first; empty otherwise.
std::vector<std::string> Machine::waiting_but_for_timeouts(const MachineState& s) const {
    auto timed_join = [&](const ProcessState& p) {
        const auto& code = prepared_->code(p.process).code;
        const auto* j = !p.finished && p.pc < static_cast<int>(code.size()) ? std::get_if<model::Join>(&code[p.pc].node) : nullptr;
        return j && j->timeout && p.pending_signal == 0;
    };
    if (!timed_join(s.world.processes.front())) return {};  // only main joins
    std::vector<std::string> out;
    bool timed = false;
    for (size_t i = 0; i < s.world.processes.size(); ++i) {
        const ProcessState& p = s.world.processes[i];
        if (p.finished) continue;
        if (timed_join(p)) {
            auto w = model::waiting_for(prepared_->program, p);
            const ProcessState* child = w ? s.world.lookup(w->child) : nullptr;
            if (!child || child->finished) return {};
            timed = true;
        } else if (!move(s, i).empty()) {
            return {};
        }
        out.push_back(p.label);
    }
    return timed ? out : std::vector<std::string>{};
}

void Machine::follow_loads(Transition& t, const ProcessState& before, size_t index) const {
    const auto& code = prepared_->code(before.process);
    const auto& facts = prepared_->of(before.process);
    const Instr& instr = code.code[t.pc_before];
    const ProcessState& after = t.next.world.processes[index];
    ProcMonitor& mon = t.next.mon.at(after.instance);
    // The lost-update pattern: a store computed from a load of the same cell that another process has written since.
    const std::vector<int>* read_from = nullptr;
    if (const auto* s = std::get_if<model::Store>(&instr.node)) read_from = &s->read_from;
    if (const auto* w = std::get_if<model::FileWrite>(&instr.node)) read_from = &w->read_from;
    for (const Access& a : t.accesses) {
        if (!a.write || !read_from) continue;
        for (int rf : *read_from) {
            int k = rf >= 0 && rf < static_cast<int>(facts.tracked_load.size()) ? facts.tracked_load[rf] : -1;
            if (k < 0) continue;
            const LoadRecord& r = mon.loads[k];
            if (r.object == a.object && r.cell == a.cell && r.stale && !t.lost_update) {
                t.lost_update = true;
                t.lost_detail = fmt::format("{}'s {} was computed from a stale read (line {}): another process wrote it in between",
                                            after.label, t.event.what, line_at(code, rf));
            }
        }
    }
    int tracked = facts.tracked_load[t.pc_before];
    // A file read is several steps; what it returns dates from its first bytes (or
    // from its first size sample, if the file is empty): a write after those is
    // one it may have missed.
    if (before.reading && !before.reading->got.empty()) tracked = -1;
    for (const Access& a : t.accesses) {
        if (!a.write && tracked >= 0) mon.loads[tracked] = {a.object, a.cell, false};
        if (!a.write) continue;
        for (const auto& other : t.next.world.processes) {
            if (other.instance == after.instance) continue;
            for (auto& r : t.next.mon.at(other.instance).loads)
                if (r.object == a.object && r.cell == a.cell) r.stale = true;
        }
    }
}

bool Machine::unwatched(const MachineState& state, const Transition& t, const ProcessState& now, int process, int line) const {
    if (t.cut || t.lost_update) return false;
    // Visible to a region watch when it changes how many are inside (a started child may begin inside).
    for (const auto& r : watch_.regions)
        if (inside(state, r) != inside(t.next, r)) return false;
    if (now.finished && (ends_observed_ || !watch_.overlaps.empty() || !watch_.orders.empty())) return false;
    // An order event on this line makes it visible.
    for (const auto& o : watch_.orders)
        if ((o.first_process == process && o.first_line == line) || (o.second_process == process && o.second_line == line)) return false;
    return true;
}

std::vector<Transition> Machine::run_locals_enumerated(Transition mid, const std::vector<size_t>& indices, const Lookup* replay) const {
    std::vector<Transition> out;
    std::vector<int64_t> plan;
    // Without a draw ahead there is exactly one run: no copy of the state is needed.
    bool may_draw = false;
    for (size_t idx : indices) {
        const ProcessState& p = mid.next.world.processes[idx];
        may_draw = may_draw || (!p.finished && prepared_->of(p.process).draw_ahead.at(p.pc));
    }
    while (true) {
        Transition t = may_draw ? mid : std::move(mid);
        std::vector<std::pair<int64_t, int64_t>> ranges;
        size_t used = 0;
        const ProcessState* current = nullptr;
        std::optional<InputOutOfRange> bad_input;
        model::DrawSource source = [&](int instance, int k, int64_t low, int64_t high) -> int64_t {
            int64_t v;
            if (replay) {
                auto r = (*replay)(instance, k);
                v = r ? *r : low;
            } else if (current && prepared_->of(current->process).sleep_only_draw.at(current->pc)) {
                v = low;
            } else if (instance == 0 && draws_.main_inputs && k < static_cast<int>(draws_.main_inputs->size())) {
                v = (*draws_.main_inputs)[k];
                if ((v < low || v > high) && !bad_input) {
                    // Thrown once run_locals is done: it turns exceptions into the process's failure.
                    int line = current ? line_at(prepared_->code(current->process), current->pc) : 0;
                    bad_input = InputOutOfRange(line, fmt::format("input {} of main is {}, outside randint({}, {})", k + 1, v, low, high));
                }
            } else if (instance == 0 && draws_.main_choice) {
                v = draws_.main_choice(k, low, high);
            } else if (auto fixed = instance == 0 ? std::nullopt : child_draw(t.next.world, instance, k, low, high)) {
                v = *fixed;
            } else {
                if (used < plan.size()) v = plan[used];
                else {
                    plan.push_back(low);
                    v = low;
                }
                ranges.push_back({low, high});
                ++used;
            }
            t.move.draws.push_back({instance, k, v});
            return v;
        };
        for (size_t idx : indices) {
            // In place: local code starts no process, so `processes` keeps its place, and
            // pid() finds the process itself through the world.
            ProcessState& st = t.next.world.processes[idx];
            current = &st;
            bool was_finished = st.finished;
            model::run_locals(prepared_->program, st, t.next.world, source);
            current = nullptr;
            if (bad_input) throw *bad_input;
            ensure_monitors(t.next);
            after_locals(t, idx, was_finished);
        }
        note_output(t);
        out.push_back(std::move(t));
        if (!may_draw) break;
        if (out.size() == 1 && !ranges.empty()) check_branching(ranges);
        if (!next_combination(plan, ranges, used)) break;
    }
    return out;
}

void Machine::note_output(Transition& t) const {
    for (const auto& line : t.next.world.output) {
        std::string label = t.next.world.pid_name(line.instance);
        for (size_t k = 0; k < watch_.prints.size(); ++k)
            if (watch_.prints[k].label == label && watch_.prints[k].text == line.text) t.next.printed[k] = 1;
        if (line.instance == 0) t.next.main_prints.push_back(line.text);
    }
    t.next.world.output.clear();
}

std::optional<int64_t> Machine::child_draw(model::MemoryWorld& world, int instance, int k, int64_t low, int64_t high) const {
    if (draws_.child_draws.empty()) return std::nullopt;
    auto it = draws_.child_draws.find(world.pid_name(instance));
    if (it == draws_.child_draws.end() || k >= static_cast<int>(it->second.size())) return std::nullopt;
    int64_t v = it->second[static_cast<size_t>(k)];
    if (v < low || v > high) return std::nullopt;
    return v;
}

void Machine::check_branching(const std::vector<std::pair<int64_t, int64_t>>& ranges) const {
    double combos = 1;
    // In doubles: randint(0, 2**63 - 1) has 2**63 values, one past int64_t.
    for (auto [lo, hi] : ranges) combos *= static_cast<double>(hi) - static_cast<double>(lo) + 1;
    if (combos > static_cast<double>(draws_.max_branching))
        throw TooManyInputs(fmt::format("{:.3g} randint combinations in one move (the limit is {})", combos, draws_.max_branching));
}

void Machine::after_locals(Transition& t, size_t index, bool was_finished) const {
    const ProcessState& p = t.next.world.processes[index];
    ProcMonitor& mon = t.next.mon.at(p.instance);
    if (!was_finished && p.finished && !p.error.empty()) t.runtime_error = fmt::format("{}: {}", p.label, p.error);
    const auto& facts = prepared_->of(p.process);
    for (size_t k = 0; k < facts.loops.size(); ++k) {
        const LoopInfo& l = facts.loops[k];
        bool inside = !p.finished && p.pc >= l.head && p.pc <= l.end;
        if (!inside) mon.loop_count[k] = 0;
        else if (bound_ > 0 && mon.loop_count[k] >= bound_ && !t.cut) {
            t.cut = true;
            const model::ProcessTemplate& code = prepared_->code(p.process);
            std::vector<std::string> writes = loop_writes(prepared_->program, code, l);
            t.cut_loop = fmt::format("the while loop at line {} of {} ({})", line_at(code, l.head), code.name,
                                     writes.empty() ? "which writes nothing: what grows is another process's"
                                                    : fmt::format("which writes {}", fmt::join(writes, ", ")));
        }
    }
    if (p.finished && (t.move.instance == p.instance || !was_finished)) watch_events(t, p.instance, p.process, 0, true);
}

void Machine::watch_events(Transition& t, int instance, int process, int line, bool ended) const {
    for (size_t k = 0; k < watch_.orders.size(); ++k) {
        const auto& o = watch_.orders[k];
        auto matches = [&](int proc, int l) { return proc == process && (ended ? l == 0 : l == line && l != 0); };
        if (matches(o.first_process, o.first_line)) t.next.order_done[k].at(instance) = 1;
        if (matches(o.second_process, o.second_line)) {
            long done = std::count(t.next.order_done[k].begin(), t.next.order_done[k].end(), 1);
            long all = o.first_process < 0 ? 1 : prepared_->program.instances_per_process.at(o.first_process);
            if (done < all) t.next.order_broken[k] = 1;
        }
    }
}

bool Machine::in_region(const ProcessState& p, const Watch::Region& r) const {
    if (p.finished || p.process != r.process) return false;
    int line = line_at(prepared_->code(p.process), p.pc);
    return line >= r.first_line && line <= r.last_line;
}

int Machine::inside(const MachineState& s, const Watch::Region& r) const {
    int n = 0;
    for (const auto& p : s.world.processes) n += in_region(p, r);
    return n;
}

bool Machine::overlapping(const MachineState& s, int process) const {
    int n = 0;
    for (const auto& p : s.world.processes) n += p.process == process && !p.finished;
    return n >= 2;
}

std::vector<std::string> Machine::blocked(const MachineState& s) const {
    std::vector<std::string> out;
    for (const auto& p : s.world.processes)
        if (!p.finished) out.push_back(p.label);
    return out;
}

std::string Machine::outcome_text(const MachineState& s) const {
    std::string out = s.world.outcome_text();
    for (const auto& line : s.main_prints) out += fmt::format("main prints: {}\n", line);
    auto stuck = blocked(s);
    if (!stuck.empty()) out += fmt::format("deadlock: {} blocked\n", fmt::join(stuck, ", "));
    return out;
}

void Machine::canonicalize(MachineState& s) const {
    // A process is only written (and so copied, when states share it) if something is to clear.
    for (size_t i = 0; i < s.world.processes.size(); ++i) {
        const ProcessState& p = std::as_const(s.world.processes)[i];
        ProcMonitor& mon = s.mon.at(p.instance);
        if (p.finished) {
            if (!p.locals.empty() || !p.globals.empty() || !p.files.empty() || !p.held_by_with.empty()) {
                ProcessState& q = s.world.processes.edit(i);
                q.locals.clear();
                q.globals.clear();
                q.files.clear();
                q.held_by_with.clear();
            }
            mon.loads.clear();
            mon.loop_count.clear();
            continue;
        }
        const auto& f = prepared_->of(p.process);
        const int pc = p.pc;
        const auto& dead = f.dead.at(pc);
        auto set = [&](int slot) { return slot < static_cast<int>(p.locals.size()) && !p.locals[slot].is<model::Unset>(); };
        if (std::any_of(dead.begin(), dead.end(), set)) {
            ProcessState& q = s.world.processes.edit(i);  // `p` may be the shared original from here on: not read again
            for (int slot : dead)
                if (slot < static_cast<int>(q.locals.size())) q.locals[slot] = model::Value{};
        }
        // A file read takes several steps at the same pc, and the load it records
        // dates from the first: dead at its own pc (the pc defines it), it is kept
        // until the read is over.
        int reading_load = p.reading ? f.tracked_load.at(pc) : -1;
        if (!mon.loads.empty())
            for (int k : f.dead_loads.at(pc))
                if (k != reading_load) mon.loads.at(k) = {};
    }
}

Fingerprint Machine::fingerprint(const MachineState& s) const { return state_fingerprint(s, {*prepared_, quiet_ok_, memo_owner_}); }

void check_main_inputs(const PreparedProgram& prepared, const std::vector<int64_t>& inputs) {
    DrawPolicy policy;
    policy.main_inputs = inputs;
    // One schedule: main first whenever it can move, else the first process that can (the
    // first of each move's draw combinations: the other draws at their low end).
    Machine machine(prepared, Watch{}, policy, 1000, true);
    auto ts = machine.initial();
    if (ts.empty()) return;
    MachineState state = std::move(ts.front().next);
    for (int moves = 0; moves < 20000; ++moves) {
        bool moved = false;
        for (size_t i = 0; i < state.world.processes.size() && !moved; ++i) {
            std::vector<Transition> next;
            try {
                next = machine.move(state, i);
            } catch (const TooManyInputs&) {
                continue;
            }
            for (auto& t : next) {
                if (t.cut) continue;
                state = std::move(t.next);
                moved = true;
                break;
            }
        }
        if (!moved) return;
    }
}

}  // namespace critsec::checker
