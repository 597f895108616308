#include "checker/symbolic/encoder.hpp"

#include <fmt/format.h>

#include <map>

#include "checker/budget.hpp"
#include "checker/symbolic/symbolic_eval.hpp"
#include "checker/symbolic/transitions.hpp"
#include "model/python_errors.hpp"

namespace critsec::checker {
namespace {

using namespace critsec::model;
using SV = SymbolicValue;

struct CreatedSym {
    int instance;
    int process;
    std::vector<SV> args;
    std::string label;
    bool started = false;
    bool joined = false;
};

struct PathState {
    explicit PathState(z3::context& c) : guard(c.bool_val(true)) {}
    int pc = 0;
    std::vector<SV> locals, globals;
    z3::expr guard;
    int last = -1;
    std::vector<int> held_with;        // sync objects held by `with`, innermost last
    std::map<int, int> lock_depth;     // lock -> recursion depth this process holds
    std::map<int, int> open_interval;  // lock -> CriticalSection index
    std::vector<CreatedSym> created;   // main only
    std::vector<int> created_per_process;
    int draws = 0;
    int symbolic_branches = 0;
    std::map<int, std::pair<int, int>> loops;  // back-edge target -> (branches at last visit, iterations)
    std::map<int, int> load_at_pc;
    long fuel = 0;
};

// What a path's next instruction did to the walk.
enum class Walk { Next, Jumped, Ended };

class Executor {
public:
    Executor(z3::context& ctx, const Program& program, int bound, bool wrap_stores, Encoding& enc)
        : ctx_(ctx), program_(program), bound_(bound), wrap_stores_(wrap_stores), enc_(enc), eval_(ctx) {}

    void run() {
        enc_.program = &program_;
        enc_.bound = bound_;
        enc_.labels = {"main"};
        enc_.template_of = {-1};
        PathState main(ctx_);
        main.locals.resize(program_.main.local_names.size());
        main.globals.resize(program_.globals.size());
        main.created_per_process.resize(program_.processes.size());
        run_instance(0, main);
        enc_.instances = static_cast<int>(enc_.labels.size());
        for (int i = 1; i < enc_.instances; ++i) {
            auto it = child_init_.find(i);
            if (it == child_init_.end()) continue;  // never started
            run_instance(i, it->second);
        }
        enc_.events_of.assign(enc_.instances, {});
        for (const auto& e : enc_.events) enc_.events_of[e.instance].push_back(e.id);
    }

private:
    const ProcessTemplate& code_of(int instance) const {
        int t = enc_.template_of.at(instance);
        return t < 0 ? program_.main : program_.processes.at(t);
    }

    // ---- events -----------------------------------------------------------------------

    int new_event(PathState& st, int instance, EventKind kind, int pc, bool is_step, bool advance = true) {
        if (enc_.events.size() > 200000) throw NotEncoded("the symbolic execution has too many paths (over 200000 events)");
        // Unrolling loops can take longer than the solver ever would: the command's time counts here too.
        if (enc_.budget && enc_.budget->due()) enc_.stop_if_spent();
        int id = static_cast<int>(enc_.events.size());
        EncodedEvent e(ctx_.bool_const(fmt::format("x{}_{}", instance, id).c_str()),
                       ctx_.int_const(fmt::format("t{}_{}", instance, id).c_str()), st.guard);
        e.id = id;
        e.instance = instance;
        e.pc = pc;
        e.kind = kind;
        e.is_step = is_step;
        e.pred = st.last;
        const ProcessTemplate& code = code_of(instance);
        if (pc >= 0 && pc < static_cast<int>(code.code.size())) {
            e.step = code.code[pc].step;
            e.line = code.code[pc].loc.line;
        }
        enc_.events.push_back(std::move(e));
        if (advance) st.last = id;
        return id;
    }

    int object_event(PathState& st, int instance, EventKind kind, int pc, int object) {
        int id = new_event(st, instance, kind, pc, true);
        enc_.events[id].object = object;
        return id;
    }

    // A failure: releases what `with` holds, and ends the path where `cond` holds.
    // Returns false when the failure is certain (the path is over).
    bool fail(PathState& st, int instance, int pc, bool at_step, const z3::expr& cond, const std::string& message, bool is_assert = false,
              int assert_id = -1) {
        int t = truth(cond);
        if (t == 0) return true;
        z3::expr saved = st.guard;
        st.guard = st.guard && cond;
        int id = new_event(st, instance, EventKind::Fail, pc, at_step, false);
        st.guard = saved;
        EncodedEvent& f = enc_.events[id];
        f.message = message;
        f.is_assert = is_assert;
        f.assert_id = assert_id;
        for (int obj : st.held_with) {
            if (program_.objects[obj].kind == ObjectKind::Semaphore) {
                f.signals.push_back(obj);
            } else {
                auto it = st.open_interval.find(obj);
                if (it != st.open_interval.end()) enc_.intervals[it->second].ends.push_back(id);
            }
        }
        if (t == 1) return false;
        st.guard = st.guard && !cond;
        return true;
    }

    bool flush(PathState& st, int instance, int pc, bool at_step, std::vector<ErrorCase>& errs) {
        bool alive = true;
        for (const auto& er : errs) {
            if (!fail(st, instance, pc, at_step, er.cond, er.message)) {
                alive = false;
                break;
            }
        }
        errs.clear();
        return alive;
    }

    // ---- values -----------------------------------------------------------------------

    std::string pid_name(int instance) const {
        if (instance == -1) return "shell";
        if (instance == 0) return "main";
        if (instance < static_cast<int>(enc_.labels.size())) return enc_.labels[instance];
        return fmt::format("#{}", instance);
    }

    EvalEnv env_of(const PathState& st, int instance) {
        EvalEnv env;
        env.locals = &st.locals;
        env.globals = &st.globals;
        env.instance = instance;
        env.param_of = [&st](int process, int param) -> SV {
            for (const auto& c : st.created)
                if (c.instance == process) return c.args.at(param);
            throw NotEncoded("a parameter of a process this process did not create");
        };
        env.pid_name = [this](int i) { return pid_name(i); };
        return env;
    }

    SV eval(const Expr& expr, PathState& st, int instance, const z3::expr& cond, std::vector<ErrorCase>& errs) {
        return eval_.eval(expr, env_of(st, instance), cond, errs);
    }

    z3::expr int_of(const SV& v, const z3::expr& cond, std::vector<ErrorCase>& errs) { return eval_.int_of(v, cond, errs); }

    // ---- cells --------------------------------------------------------------------------

    z3::expr cell_of(const SharedObject& obj, const ExprPtr& index, PathState& st, int instance, const z3::expr& cond,
                     std::vector<ErrorCase>& errs) {
        if (!index) return ctx_.int_val(0);
        z3::expr i = int_of(eval(*index, st, instance, cond, errs), cond, errs);
        int64_t n = obj.cells(), k;
        if (numeral(i, k)) {
            int64_t spelled = k;
            if (k < 0) k += n;
            if (k < 0 || k >= n) {
                errs.push_back({cond, errors::cell_index_out_of_range(spelled, obj.name, n)});
                return ctx_.int_val(0);
            }
            return ctx_.int_val(k);
        }
        // A symbolic index: the failure's text cannot show it.
        errs.push_back({cond && (i < ctx_.int_val(-n) || i >= ctx_.int_val(n)), errors::cell_index_out_of_range(n, obj.name, n)});
        return z3::ite(i < 0, i + ctx_.int_val(n), i);
    }

    // ---- the walk ---------------------------------------------------------------------

    void assign(PathState& st, const Var& var, SV value) {
        auto& slots = var.global ? st.globals : st.locals;
        slots.at(var.slot) = std::move(value);
    }

    z3::expr draw_var(int instance, int index, int64_t low_hint) {
        for (const auto& d : enc_.draws)
            if (d.instance == instance && d.index == index) return d.var;
        z3::expr v = ctx_.int_const(fmt::format("in{}_{}", instance, index).c_str());
        enc_.draws.push_back({instance, index, v, low_hint});
        return v;
    }

    void run_instance(int instance, PathState init) {
        std::vector<PathState> work;
        work.push_back(std::move(init));
        while (!work.empty()) {
            PathState st = std::move(work.back());
            work.pop_back();
            run_path(instance, st, work);
        }
    }

    void run_path(int instance, PathState& st, std::vector<PathState>& work) {
        const ProcessTemplate& code = code_of(instance);
        std::vector<ErrorCase> errs;
        while (true) {
            if (st.pc >= static_cast<int>(code.code.size())) {
                new_event(st, instance, EventKind::End, -1, false);
                return;
            }
            const int pc = st.pc;
            const Instr& instr = code.code[pc];
            if (++st.fuel > 2'000'000) throw NotEncoded("a loop ran 2,000,000 local iterations during symbolic execution");
            Walk w = local(instance, st, instr, pc, errs, work);
            if (w == Walk::Ended) return;
            if (w == Walk::Jumped) continue;
            ++st.pc;
        }
    }

    // One instruction: local code here, a step through step().
    Walk local(int instance, PathState& st, const Instr& instr, int pc, std::vector<ErrorCase>& errs, std::vector<PathState>& work) {
        z3::expr T = ctx_.bool_val(true);
        const InstrNode& node = instr.node;
        if (const auto* a = std::get_if<Assign>(&node)) {
            SV v = eval(*a->value, st, instance, T, errs);
            if (!flush(st, instance, pc, false, errs)) return Walk::Ended;
            assign(st, a->target, std::move(v));
            return Walk::Next;
        }
        if (const auto* d = std::get_if<Draw>(&node)) return draw(instance, st, *d, pc, errs);
        if (const auto* c = std::get_if<Create>(&node)) return create(instance, st, *c, pc, errs);
        if (const auto* ap = std::get_if<Append>(&node)) {
            SV v = eval(*ap->value, st, instance, T, errs);
            if (!flush(st, instance, pc, false, errs)) return Walk::Ended;
            auto& slots = ap->list.global ? st.globals : st.locals;
            eval_.append(slots.at(ap->list.slot), std::move(v), T, errs);
            return flush(st, instance, pc, false, errs) ? Walk::Next : Walk::Ended;
        }
        if (const auto* b = std::get_if<Branch>(&node)) return branch(instance, st, *b, pc, errs, work);
        if (const auto* j = std::get_if<Jump>(&node)) return jump(instance, st, *j, pc);
        return step(instance, st, instr, pc, errs) ? Walk::Next : Walk::Ended;
    }

    Walk draw(int instance, PathState& st, const Draw& d, int pc, std::vector<ErrorCase>& errs) {
        z3::expr T = ctx_.bool_val(true);
        z3::expr lo = int_of(eval(*d.low, st, instance, T, errs), T, errs);
        z3::expr hi = int_of(eval(*d.high, st, instance, T, errs), T, errs);
        int64_t lo_n = 0, hi_n = 0;
        bool concrete = numeral(lo, lo_n);
        concrete = numeral(hi, hi_n) && concrete;
        // The text shows the bounds, which a symbolic range does not know.
        errs.push_back({lo > hi, errors::empty_randint_range(lo_n, concrete ? hi_n : lo_n - 1)});
        if (!flush(st, instance, pc, false, errs)) return Walk::Ended;
        z3::expr v = draw_var(instance, st.draws++, lo_n);
        z3::expr range = lo <= v && v <= hi;
        if (concrete) eval_.add_range(v, lo_n, hi_n);
        enc_.side.push_back(truth(st.guard) == 1 ? range : z3::implies(st.guard, range));
        assign(st, d.target, SV::integer(v));
        return Walk::Next;
    }

    Walk create(int instance, PathState& st, const Create& c, int pc, std::vector<ErrorCase>& errs) {
        if (instance != 0) throw NotEncoded("a process created by a child");
        z3::expr T = ctx_.bool_val(true);
        CreatedSym created;
        created.instance = static_cast<int>(st.created.size()) + 1;
        created.process = c.process;
        for (const auto& arg : c.args) created.args.push_back(eval(*arg, st, instance, T, errs));
        if (!flush(st, instance, pc, false, errs)) return Walk::Ended;
        int ordinal = ++st.created_per_process.at(c.process);
        created.label = fmt::format("{}#{}", program_.processes.at(c.process).name, ordinal);
        if (created.instance < static_cast<int>(enc_.labels.size())) {
            if (enc_.labels[created.instance] != created.label || enc_.template_of[created.instance] != c.process)
                throw NotEncoded("main creates different processes on different paths");
        } else {
            enc_.labels.push_back(created.label);
            enc_.template_of.push_back(c.process);
        }
        SV ref = SV::process(created.instance);
        st.created.push_back(std::move(created));
        assign(st, c.target, ref);
        return Walk::Next;
    }

    Walk branch(int instance, PathState& st, const Branch& b, int pc, std::vector<ErrorCase>& errs, std::vector<PathState>& work) {
        SV cv = eval(*b.cond, st, instance, ctx_.bool_val(true), errs);
        if (!flush(st, instance, pc, false, errs)) return Walk::Ended;
        z3::expr c = eval_.truthy(cv);
        int t = truth(c);
        if (t == 0) st.pc = b.if_false;
        if (t >= 0) {
            if (t == 1) ++st.pc;
            return Walk::Jumped;
        }
        PathState other = st;
        other.guard = st.guard && !c;
        other.pc = b.if_false;
        other.symbolic_branches++;
        work.push_back(std::move(other));
        st.guard = st.guard && c;
        st.symbolic_branches++;
        ++st.pc;
        return Walk::Jumped;
    }

    Walk jump(int instance, PathState& st, const Jump& j, int pc) {
        if (j.back_edge) {
            auto [it, fresh] = st.loops.try_emplace(j.target, std::make_pair(st.symbolic_branches, 0));
            auto& [seen, iterations] = it->second;
            if (!fresh && seen != st.symbolic_branches) ++iterations;
            if (fresh && st.symbolic_branches > 0) ++iterations;
            seen = st.symbolic_branches;
            if (iterations >= bound_) {
                new_event(st, instance, EventKind::Cut, pc, false);
                enc_.bounded = true;
                return Walk::Ended;
            }
        }
        st.pc = j.target;
        return Walk::Jumped;
    }

    CreatedSym* created_of(PathState& st, const SV& proc, const char* what) {
        if (proc.k != SV::K::Proc) throw NotEncoded(fmt::format("{}() of a symbolic process", what));
        for (auto& x : st.created)
            if (x.instance == proc.ref) return &x;
        throw NotEncoded(fmt::format("{}() of a process another process created", what));
    }

    // One atomic step. Returns false when the path ends here.
    bool step(int instance, PathState& st, const Instr& instr, int pc, std::vector<ErrorCase>& errs) {
        const InstrNode& node = instr.node;
        if (const auto* l = std::get_if<Load>(&node)) return load(instance, st, *l, pc, errs);
        if (const auto* s = std::get_if<Store>(&node)) return store(instance, st, *s, pc, errs);
        if (const auto* a = std::get_if<Acquire>(&node)) return acquire(instance, st, *a, pc);
        if (const auto* r = std::get_if<Release>(&node)) return release(instance, st, *r, pc);
        if (std::holds_alternative<FileOpen>(node) || std::holds_alternative<FileRead>(node) ||
            std::holds_alternative<FileReadline>(node) || std::holds_alternative<FileWrite>(node) ||
            std::holds_alternative<FileSeek>(node) || std::holds_alternative<FileClose>(node))
            throw NotEncoded("files are not encoded by the Z3 engine yet");
        if (const auto* p = std::get_if<Print>(&node)) {
            eval(*p->text, st, instance, ctx_.bool_val(true), errs);  // its failures only
            return other_step(instance, st, pc, errs);
        }
        if (const auto* s = std::get_if<Sleep>(&node)) return sleep(instance, st, *s, pc, errs);
        if (const auto* a = std::get_if<AssertStep>(&node)) return assert_step(instance, st, *a, pc, errs);
        if (const auto* s = std::get_if<Start>(&node)) return start(instance, st, *s, pc, errs);
        if (const auto* j = std::get_if<Join>(&node)) return join(instance, st, *j, pc, errs);
        throw NotEncoded("an unknown step");
    }

    // A step with no shared effect (print, sleep, an assert that holds), after its failures.
    bool other_step(int instance, PathState& st, int pc, std::vector<ErrorCase>& errs) {
        if (!flush(st, instance, pc, true, errs)) return false;
        new_event(st, instance, EventKind::Other, pc, true);
        return true;
    }

    bool load(int instance, PathState& st, const Load& l, int pc, std::vector<ErrorCase>& errs) {
        const SharedObject& obj = program_.objects.at(l.object);
        z3::expr cell = cell_of(obj, l.index, st, instance, ctx_.bool_val(true), errs);
        if (!flush(st, instance, pc, true, errs)) return false;
        int id = new_event(st, instance, EventKind::Load, pc, true);
        EncodedEvent& e = enc_.events[id];
        e.object = l.object;
        e.cell = cell;
        z3::expr v = ctx_.int_const(fmt::format("v{}_{}", instance, id).c_str());
        e.value = v;
        enc_.side.push_back(in_typecode_range(obj.typecode, v));
        eval_.add_range(v, obj.typecode.min(), obj.typecode.max());
        st.load_at_pc[pc] = id;
        assign(st, l.target, SV::integer(v));
        return true;
    }

    bool store(int instance, PathState& st, const Store& s, int pc, std::vector<ErrorCase>& errs) {
        z3::expr T = ctx_.bool_val(true);
        const SharedObject& obj = program_.objects.at(s.object);
        z3::expr cell = cell_of(obj, s.index, st, instance, T, errs);
        SV v = eval(*s.value, st, instance, T, errs);
        z3::expr x = int_of(v, T, errs);
        if (!flush(st, instance, pc, true, errs)) return false;
        int id = new_event(st, instance, EventKind::Store, pc, true);
        EncodedEvent& e = enc_.events[id];
        e.object = s.object;
        e.cell = cell;
        e.value = stored_value(obj.typecode, x, wrap_stores_);
        e.raw = x;
        for (int from : s.read_from) {
            // The value may flow from loads of other objects too; only a load of the stored one can be stale (as the explorer's follow_loads).
            auto it = st.load_at_pc.find(from);
            if (it != st.load_at_pc.end() && enc_.events[it->second].object == s.object) e.read_from.push_back(it->second);
        }
        return true;
    }

    bool acquire(int instance, PathState& st, const Acquire& a, int pc) {
        // Its result depends on who holds the object at that moment, which the
        // critical-section constraints do not say. The explorer decides it.
        if (a.wait != AcquireWait::Block) throw NotEncoded("an acquire that may give False (acquire(False), acquire(timeout=...))");
        const SharedObject& obj = program_.objects.at(a.object);
        if (obj.kind == ObjectKind::Semaphore) {
            object_event(st, instance, EventKind::Wait, pc, a.object);
        } else {
            int& depth = st.lock_depth[a.object];
            AcquireEffect effect = acquire_effect(depth, obj.recursive);
            if (effect == AcquireEffect::SelfDeadlock) {
                object_event(st, instance, EventKind::SelfDeadlock, pc, a.object);
                return false;  // blocked forever: nothing after it can run
            }
            int id = object_event(st, instance, effect == AcquireEffect::Reenter ? EventKind::Reacquire : EventKind::Acquire, pc, a.object);
            if (effect == AcquireEffect::Take) {
                enc_.intervals.push_back({a.object, instance, id, {}});
                st.open_interval[a.object] = static_cast<int>(enc_.intervals.size()) - 1;
            }
            ++depth;
        }
        if (a.by_with) st.held_with.push_back(a.object);
        return true;
    }

    bool release(int instance, PathState& st, const Release& r, int pc) {
        const SharedObject& obj = program_.objects.at(r.object);
        // A signal is encoded as one that never fails: a BoundedSemaphore's fails at
        // its bound, which would need the count at every signal. The explorer decides it.
        if (obj.kind == ObjectKind::Semaphore && obj.bounded) throw NotEncoded("a BoundedSemaphore's release (it fails past its bound)");
        if (obj.kind == ObjectKind::Semaphore) {
            object_event(st, instance, EventKind::Signal, pc, r.object);
        } else {
            int& depth = st.lock_depth[r.object];
            std::string error = release_error(obj.name, depth, instance, obj.recursive);
            if (!error.empty()) {
                // Not held by this process: an error whoever holds it. Its text (held by
                // another, or by nobody) depends on the interleaving: outcomes tell the
                // two apart (z3_engine.cpp), the replay words them.
                fail(st, instance, pc, true, ctx_.bool_val(true), error);
                enc_.events.back().object = r.object;
                enc_.events.back().bad_release = true;
                return false;
            }
            int id = object_event(st, instance, EventKind::Release, pc, r.object);
            if (--depth == 0) {
                enc_.intervals[st.open_interval.at(r.object)].ends.push_back(id);
                st.open_interval.erase(r.object);
            }
        }
        if (r.by_with && !st.held_with.empty()) st.held_with.pop_back();
        return true;
    }

    bool sleep(int instance, PathState& st, const Sleep& s, int pc, std::vector<ErrorCase>& errs) {
        z3::expr T = ctx_.bool_val(true);
        SV v = eval(*s.seconds, st, instance, T, errs);
        if (v.k == SV::K::Float) {
            if (auto error = errors::sleep_error(v.f)) errs.push_back({T, *error});
        } else {
            z3::expr seconds = int_of(v, T, errs);
            z3::expr most = ctx_.int_val(errors::kMaxSleepSeconds);
            errs.push_back({seconds > most || seconds < -most, errors::sleep_int_too_large()});
            errs.push_back({seconds < 0, errors::negative_sleep()});
        }
        return other_step(instance, st, pc, errs);
    }

    bool assert_step(int instance, PathState& st, const AssertStep& a, int pc, std::vector<ErrorCase>& errs) {
        z3::expr T = ctx_.bool_val(true);
        SV cv = eval(*a.cond, st, instance, T, errs);
        z3::expr holds = eval_.truthy(cv);
        if (!flush(st, instance, pc, true, errs)) return false;
        std::string text;
        if (a.message) {
            std::vector<ErrorCase> ignored;
            SV m = eval(*a.message, st, instance, T, ignored);
            bool symbolic = false;
            text = eval_.str_concrete(m, env_of(st, instance), symbolic);
            if (symbolic) text = "<computed>";
        }
        if (!fail(st, instance, pc, true, !holds, errors::assertion_failed(text), true, a.assert_id)) return false;
        new_event(st, instance, EventKind::Other, pc, true);
        return true;
    }

    bool start(int instance, PathState& st, const Start& s, int pc, std::vector<ErrorCase>& errs) {
        SV proc = eval(*s.process, st, instance, ctx_.bool_val(true), errs);
        if (!flush(st, instance, pc, true, errs)) return false;
        CreatedSym* c = created_of(st, proc, "start");
        if (c->started) {
            fail(st, instance, pc, true, ctx_.bool_val(true), errors::start_twice());
            return false;
        }
        c->started = true;
        int id = new_event(st, instance, EventKind::Start, pc, true);
        enc_.events[id].target = c->instance;
        if (child_init_.count(c->instance)) throw NotEncoded("a process started on more than one path of main");
        PathState child(ctx_);
        const ProcessTemplate& t = program_.processes.at(c->process);
        child.locals.resize(t.local_names.size());
        for (size_t i = 0; i < c->args.size(); ++i) child.locals[i] = c->args[i];
        child.globals = st.globals;
        child.last = id;
        child_init_.emplace(c->instance, std::move(child));
        return true;
    }

    bool join(int instance, PathState& st, const Join& j, int pc, std::vector<ErrorCase>& errs) {
        if (j.timeout) throw NotEncoded("a join that may time out (join(timeout))");
        SV proc = eval(*j.process, st, instance, ctx_.bool_val(true), errs);
        if (!flush(st, instance, pc, true, errs)) return false;
        CreatedSym* c = created_of(st, proc, "join");
        if (!c->started) {
            fail(st, instance, pc, true, ctx_.bool_val(true), errors::join_unstarted());
            return false;
        }
        c->joined = true;
        int id = new_event(st, instance, EventKind::Join, pc, true);
        enc_.events[id].target = c->instance;
        return true;
    }

    z3::context& ctx_;
    const Program& program_;
    int bound_;
    bool wrap_stores_;
    Encoding& enc_;
    SymbolicEvaluator eval_;
    std::map<int, PathState> child_init_;
};

}  // namespace

Encoding encode(z3::context& ctx, const model::Program& program, int bound, bool wrap_stores, const Budget* budget) {
    Encoding enc(ctx);
    enc.wrapped = wrap_stores;
    enc.budget = budget;
    Executor(ctx, program, bound, wrap_stores, enc).run();
    return enc;
}

}  // namespace critsec::checker
