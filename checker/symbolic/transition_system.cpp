#include "checker/symbolic/transition_system.hpp"

#include "checker/symbolic/symbolic_eval.hpp"
#include "model/python_errors.hpp"

#include <fmt/format.h>

#include <limits>
#include <variant>

namespace critsec::checker {
namespace {

using namespace critsec::model;

// Thrown when the spec leaves the shape this extraction handles.
struct Decline {
    std::string why;
};

using SV = SymbolicValue;

std::optional<int64_t> concrete_int(const z3::expr& e) {
    int64_t out = 0;
    if (numeral(e, out)) return out;
    return std::nullopt;
}

struct Created {
    int instance;
    int process;
    std::string label;
    std::vector<SV> args;
    bool started = false;
    bool joined = false;
    int child = -1;  // index into the system's children once started
};

// Symbolic registers of one process, evaluated by the symbolic evaluator in the
// narrow shape this extraction handles: a failure that may happen declines,
// except a 64-bit overflow, which becomes an obligation for the proof.
class Registers {
public:
    Registers(z3::context& ctx, std::vector<z3::expr>& obligations, const std::vector<Created>* created)
        : ctx_(ctx), obligations_(obligations), created_(created), eval_(ctx, EvalOptions{false, false}) {}

    std::vector<SV> locals, globals;

    SV eval(const Expr& e) {
        EvalEnv env;
        env.locals = &locals;
        env.globals = &globals;
        env.param_of = [this](int instance, int param) -> SV {
            if (!created_) throw Decline{"a parameter of something that is not a process object"};
            for (const auto& c : *created_)
                if (c.instance == instance && param < static_cast<int>(c.args.size())) return c.args[param];
            throw Decline{"an unknown process object"};
        };
        // A pid only names a process in a print: its text does not matter here.
        env.pid_name = [](int) { return std::string("<pid>"); };
        std::vector<ErrorCase> errs;
        SV v = eval_.eval(e, env, ctx_.bool_val(true), errs);
        for (const auto& er : errs) {
            if (truth(er.cond) == 0) continue;
            if (er.message != errors::integer_overflow()) throw Decline{"a step that may fail (" + er.message + ")"};
            // 64-bit Python ints fail with OverflowError beyond int64: the proof must show they never do.
            obligations_.push_back(!er.cond);
        }
        return v;
    }

    void append(const Var& list, SV item) {
        std::vector<ErrorCase> errs;
        eval_.append(slot(list), std::move(item), ctx_.bool_val(true), errs);
        if (!errs.empty()) throw Decline{"a step that may fail (" + errs.front().message + ")"};
    }

    z3::expr as_int(const SV& v) {
        if (v.k == SV::K::Int) return *v.e;
        throw Decline{"a value that is not an int where an int is needed"};
    }
    z3::expr truthy(const SV& v) { return eval_.truthy(v); }
    bool concrete_truth(const SV& v) {
        int t = truth(truthy(v));
        if (t < 0) throw Decline{"a branch on an input or a shared value"};
        return t == 1;
    }
    int64_t concrete(const SV& v) {
        auto i = concrete_int(as_int(v));
        if (!i) throw Decline{"an index or bound that depends on an input or a shared value"};
        return *i;
    }
    void assign(const Var& var, SV value) { slot(var) = std::move(value); }
    SV& slot(const Var& var) {
        auto& slots = var.global ? globals : locals;
        if (var.slot < 0 || var.slot >= static_cast<int>(slots.size())) throw Decline{"a bad variable slot"};
        return slots[var.slot];
    }

private:
    z3::context& ctx_;
    std::vector<z3::expr>& obligations_;
    const std::vector<Created>* created_;
    SymbolicEvaluator eval_;
};

class Extractor {
public:
    Extractor(z3::context& ctx, const Program& program, const std::optional<std::vector<int64_t>>& fixed, const DrawChooser* choose)
        : ctx_(ctx), program_(program), fixed_(fixed), choose_(choose), ts_(ctx) {}

    TransitionSystem run() {
        walk_main();
        return std::move(ts_);
    }

private:
    static constexpr long kFuel = 1'000'000;  // local instructions per process: a spec that loops longer is declined

    int cell_of(int object, int64_t cell) {
        const SharedObject& obj = program_.objects.at(object);
        if (obj.kind != ObjectKind::Value && obj.kind != ObjectKind::Array) throw Decline{"a load or store of a non-value object"};
        if (cell < 0 || cell >= obj.cells()) throw Decline{"an array index out of range"};
        for (size_t k = 0; k < ts_.cells.size(); ++k)
            if (ts_.cells[k] == CellRef{object, cell}) return static_cast<int>(k);
        ts_.cells.push_back({object, cell});
        ts_.cell_initial.push_back(obj.initial.at(cell));
        ts_.cell_type.push_back(obj.typecode);
        ts_.final_cells.push_back(ctx_.int_const(fmt::format("final!{}", ts_.cells.size() - 1).c_str()));
        return static_cast<int>(ts_.cells.size()) - 1;
    }

    int64_t cell_index(Registers& f, const SharedObject& obj, const ExprPtr& index) {
        if (!index) return 0;
        int64_t i = f.concrete(f.eval(*index));
        if (i < 0) i += obj.cells();
        return i;
    }

    z3::expr draw(Registers& f, const Draw& d, bool main, const std::string& name) {
        int64_t lo = f.concrete(f.eval(*d.low)), hi = f.concrete(f.eval(*d.high));
        if (lo > hi) throw Decline{"an empty randint range"};
        if (main && fixed_ && main_draws_ < fixed_->size()) return ctx_.int_val((*fixed_)[main_draws_++]);
        if (main && choose_) {
            int index = static_cast<int>(main_draws_++);
            return ctx_.int_val((*choose_)(index, lo, hi));
        }
        if (main) ++main_draws_;
        z3::expr x = ctx_.int_const(name.c_str());
        ts_.inputs.push_back(x >= ctx_.int_val(lo) && x <= ctx_.int_val(hi));
        ts_.draws.push_back({x, {lo, hi}});
        return x;
    }

    // Runs one local instruction; false when it is a step.
    bool local(Registers& f, const Instr& instr, int& pc, bool main, const std::string& draw_name) {
        if (const auto* a = std::get_if<Assign>(&instr.node)) {
            f.assign(a->target, f.eval(*a->value));
        } else if (const auto* d = std::get_if<Draw>(&instr.node)) {
            f.assign(d->target, SV::integer(draw(f, *d, main, draw_name)));
        } else if (const auto* c = std::get_if<Create>(&instr.node)) {
            if (!main) throw Decline{"a child that creates processes"};
            Created made;
            made.instance = static_cast<int>(created_.size()) + 1;
            made.process = c->process;
            made.label = fmt::format("{}#{}", program_.processes.at(c->process).name, ++per_template_[c->process]);
            for (const auto& arg : c->args) made.args.push_back(f.eval(*arg));
            created_.push_back(std::move(made));
            f.assign(c->target, SV::process(created_.back().instance));
        } else if (const auto* ap = std::get_if<Append>(&instr.node)) {
            f.append(ap->list, f.eval(*ap->value));
        } else if (const auto* b = std::get_if<Branch>(&instr.node)) {
            if (!f.concrete_truth(f.eval(*b->cond))) {
                pc = b->if_false;
                return true;
            }
        } else if (const auto* j = std::get_if<Jump>(&instr.node)) {
            pc = j->target;
            return true;
        } else {
            return false;
        }
        ++pc;
        return true;
    }

    // A print or a sleep: no shared state, but it must not fail.
    bool private_step(Registers& f, const InstrNode& node) {
        if (const auto* p = std::get_if<Print>(&node)) {
            f.eval(*p->text);
            return true;
        }
        if (const auto* s = std::get_if<Sleep>(&node)) {
            SV v = f.eval(*s->seconds);
            if (v.k == SV::K::Float) {
                if (errors::sleep_error(v.f)) throw Decline{"a sleep that fails"};
            } else {
                auto secs = concrete_int(f.as_int(v));
                if (!secs || errors::sleep_error(*secs)) throw Decline{"a sleep of a length that may fail"};
            }
            return true;
        }
        return false;
    }

    void walk_main() {
        Registers f(ctx_, ts_.obligations, &created_);
        f.locals.resize(program_.main.local_names.size());
        f.globals.resize(program_.globals.size());
        per_template_.assign(program_.processes.size(), 0);
        const auto& code = program_.main.code;
        bool touched_shared = false;  // main's own shared steps, once every child is joined
        long fuel = kFuel;
        int running = 0;
        for (int pc = 0; pc < static_cast<int>(code.size());) {
            if (--fuel == 0) throw Decline{"main runs too long"};
            const Instr& instr = code[pc];
            if (local(f, instr, pc, true, fmt::format("input!{}", main_draws_))) continue;
            const InstrNode& node = instr.node;
            if (private_step(f, node)) {
                ++pc;
                continue;
            }
            if (const auto* s = std::get_if<Start>(&node)) {
                if (touched_shared) throw Decline{"main touches shared state before starting another process"};
                Created& c = created(f, *s->process);
                if (c.started) throw Decline{"a process started twice"};
                c.started = true;
                c.child = static_cast<int>(ts_.children.size());
                ts_.children.push_back(walk_child(c, f.globals));
                ts_.main_events.push_back({MainEvent::Kind::Start, c.child});
                ++running;
            } else if (const auto* j = std::get_if<Join>(&node)) {
                if (j->timeout) throw Decline{"a join that may time out"};
                Created& c = created(f, *j->process);
                if (!c.started || c.joined) throw Decline{"a join of a process not running"};
                if (touched_shared) throw Decline{"main touches shared state between joins"};
                c.joined = true;
                ts_.main_events.push_back({MainEvent::Kind::Join, c.child});
                --running;
            } else if (running > 0) {
                throw Decline{"main touches shared state while children run"};
            } else if (const auto* l = std::get_if<Load>(&node)) {
                touched_shared = true;
                const SharedObject& obj = program_.objects.at(l->object);
                int k = cell_of(l->object, cell_index(f, obj, l->index));
                f.assign(l->target, SV::integer(ts_.final_cells[k]));
            } else if (const auto* a = std::get_if<AssertStep>(&node)) {
                touched_shared = true;
                ts_.asserts.push_back({a->assert_id, f.truthy(f.eval(*a->cond))});
            } else {
                throw Decline{"a step of main that is not modelled"};
            }
            ++pc;
        }
        if (running > 0) throw Decline{"main ends with children running"};
    }

    Created& created(Registers& f, const Expr& process) {
        SV v = f.eval(process);
        if (v.k != SV::K::Proc) throw Decline{"start or join of something that is not a process object"};
        for (auto& c : created_)
            if (c.instance == v.ref) return c;
        throw Decline{"an unknown process object"};
    }

    ChildRun walk_child(const Created& c, const std::vector<SV>& globals) {
        ChildRun run{c.instance, c.label, {}};
        const ProcessTemplate& t = program_.processes.at(c.process);
        Registers f(ctx_, ts_.obligations, nullptr);
        f.locals.resize(t.local_names.size());
        for (size_t i = 0; i < c.args.size() && i < f.locals.size(); ++i) f.locals[i] = c.args[i];
        f.globals = globals;  // fork copies the parent's globals
        std::vector<int> step_of_pc(t.code.size(), -1);
        std::vector<int> held;
        long fuel = kFuel;
        int draws = 0;
        for (int pc = 0; pc < static_cast<int>(t.code.size());) {
            if (--fuel == 0) throw Decline{c.label + " runs too long"};
            const Instr& instr = t.code[pc];
            if (local(f, instr, pc, false, fmt::format("draw!{}!{}", c.instance, draws))) {
                if (std::holds_alternative<Draw>(instr.node)) ++draws;
                continue;
            }
            const InstrNode& node = instr.node;
            if (private_step(f, node)) {
                ++pc;
                continue;
            }
            if (!is_child_step(node)) throw Decline{"a step of " + t.name + " that is not modelled"};
            ChildStep step;
            if (const auto* a = std::get_if<Acquire>(&node)) {
                const SharedObject& obj = program_.objects.at(a->object);
                if (obj.kind != ObjectKind::Lock) throw Decline{"a semaphore"};
                if (a->wait != model::AcquireWait::Block) throw Decline{"an acquire that may give False"};
                if (std::find(held.begin(), held.end(), a->object) != held.end()) throw Decline{"a lock acquired twice"};
                held.push_back(a->object);
                step.object = a->object;
                if (std::find(ts_.locks.begin(), ts_.locks.end(), a->object) == ts_.locks.end()) ts_.locks.push_back(a->object);
            } else if (const auto* r = std::get_if<Release>(&node)) {
                auto it = std::find(held.begin(), held.end(), r->object);
                if (it == held.end()) throw Decline{"a release of a lock not held"};
                held.erase(it);
                step.kind = ChildStep::Kind::Release;
                step.object = r->object;
            } else if (const auto* l = std::get_if<Load>(&node)) {
                const SharedObject& obj = program_.objects.at(l->object);
                step.kind = ChildStep::Kind::Load;
                step.cell = cell_of(l->object, cell_index(f, obj, l->index));
                z3::expr v = ctx_.int_const(fmt::format("load!{}!{}", c.instance, run.steps.size()).c_str());
                step.load = v;
                f.assign(l->target, SV::integer(v));
            } else if (const auto* s = std::get_if<Store>(&node)) {
                const SharedObject& obj = program_.objects.at(s->object);
                step.kind = ChildStep::Kind::Store;
                step.cell = cell_of(s->object, cell_index(f, obj, s->index));
                step.value = f.as_int(f.eval(*s->value));
                for (int from : s->read_from)
                    if (from >= 0 && from < static_cast<int>(step_of_pc.size()) && step_of_pc[from] >= 0)
                        step.read_from.push_back(step_of_pc[from]);
                if (step.read_from.size() != s->read_from.size()) throw Decline{"a store computed from a load on another path"};
            } else {
                throw Decline{"a step of " + t.name + " that is not modelled"};
            }
            step_of_pc[pc] = static_cast<int>(run.steps.size());
            run.steps.push_back(std::move(step));
            ++pc;
        }
        return run;
    }

    z3::context& ctx_;
    const Program& program_;
    const std::optional<std::vector<int64_t>>& fixed_;
    const DrawChooser* choose_;
    TransitionSystem ts_;
    std::vector<Created> created_;
    std::vector<int> per_template_;
    size_t main_draws_ = 0;
};

}  // namespace

bool is_child_step(const model::InstrNode& node) {
    return std::holds_alternative<model::Load>(node) || std::holds_alternative<model::Store>(node) ||
           std::holds_alternative<model::Acquire>(node) || std::holds_alternative<model::Release>(node);
}

Extraction extract_transition_system(z3::context& ctx, const model::Program& program,
                                     const std::optional<std::vector<int64_t>>& fixed_inputs, const DrawChooser* choose) {
    Extraction out;
    try {
        out.system = Extractor(ctx, program, fixed_inputs, choose).run();
    } catch (const Decline& d) {
        out.declined = d.why;
    } catch (const NotEncoded& n) {
        out.declined = n.what();
    } catch (const z3::exception& e) {
        out.declined = std::string("z3: ") + e.msg();
    } catch (const std::exception& e) {
        out.declined = std::string("internal: ") + e.what();
    }
    return out;
}

}  // namespace critsec::checker
