#include "model/lifecycle.hpp"

#include <fmt/format.h>

#include <map>

namespace critsec {
namespace {

// What is known, on every path so far, of the processes a name holds.
enum class State { Created, Started, Joined, Unknown };

class LifecycleCheck {
public:
    explicit LifecycleCheck(const std::set<std::string>& templates) : templates_(templates) {}

    Diagnostics run(const ast::MainDef& main) {
        walk(main.body);
        return std::move(diags_);
    }

private:
    using States = std::map<std::string, State>;

    // `Adder(...)` or `[Adder(...) for ...]`: a name that will hold fresh processes.
    bool makes_processes(const ast::Expr& e) const {
        const ast::Expr* inner = &e;
        if (const auto* comp = std::get_if<ast::ListComp>(&e.node)) inner = comp->element.get();
        if (const auto* call = std::get_if<ast::Call>(&inner->node))
            if (const auto* name = std::get_if<ast::Name>(&call->callee->node)) return templates_.count(name->id) > 0;
        if (const auto* list = std::get_if<ast::ListLit>(&e.node))
            return !list->elements.empty() && makes_processes(*list->elements.front());
        return false;
    }

    std::string resolve(const std::string& name) const {
        auto it = aliases_.find(name);
        return it == aliases_.end() ? name : it->second;
    }

    void walk(const ast::Block& block) {
        for (const auto& s : block) statement(s);
    }

    void statement(const ast::Stmt& s) {
        if (const auto* a = std::get_if<ast::Assign>(&s.node)) {
            daemon_assignment(*a);
            if (const auto* name = std::get_if<ast::Name>(&a->target->node)) {
                aliases_.erase(name->id);
                if (a->op == ast::AssignOp::Set && makes_processes(*a->value)) states_[name->id] = State::Created;
                else states_.erase(name->id);
            }
        } else if (const auto* e = std::get_if<ast::ExprStmt>(&s.node)) {
            method_call(*e->expr);
        } else if (const auto* f = std::get_if<ast::For>(&s.node)) {
            const auto* list = std::get_if<ast::Name>(&f->iterable->node);
            std::string saved_alias = aliases_.count(f->var) ? aliases_[f->var] : "";
            if (list && states_.count(resolve(list->id))) {
                // `for p in procs:` acts on every process in the list.
                aliases_[f->var] = resolve(list->id);
                walk(f->body);
            } else {
                aliases_.erase(f->var);
                States before = states_;
                walk(f->body);
                merge(before);
            }
            if (saved_alias.empty()) aliases_.erase(f->var);
            else aliases_[f->var] = saved_alias;
        } else if (const auto* i = std::get_if<ast::If>(&s.node)) {
            States before = states_;
            std::vector<States> outcomes;
            for (const auto& b : i->branches) {
                states_ = before;
                walk(b.body);
                outcomes.push_back(states_);
            }
            states_ = before;
            walk(i->orelse);
            for (const auto& o : outcomes) merge(o);
        } else if (const auto* w = std::get_if<ast::While>(&s.node)) {
            States before = states_;
            walk(w->body);
            merge(before);
        } else if (const auto* w = std::get_if<ast::With>(&s.node)) {
            walk(w->body);
        }
    }

    // Where two paths meet, what they disagree on becomes unknown.
    void merge(const States& other) {
        for (auto& [name, state] : states_) {
            auto it = other.find(name);
            if (it == other.end() || it->second != state) state = State::Unknown;
        }
    }

    // `p.daemon = True` once p is started: CPython's AssertionError.
    void daemon_assignment(const ast::Assign& a) {
        const auto* attr = std::get_if<ast::Attribute>(&a.target->node);
        const auto* object = attr && attr->attr == "daemon" ? std::get_if<ast::Name>(&attr->object->node) : nullptr;
        if (!object) return;
        auto it = states_.find(resolve(object->id));
        if (it == states_.end() || (it->second != State::Started && it->second != State::Joined)) return;
        diags_.push_back({Severity::Error, a.target->loc, a.target->length,
                          fmt::format("`{}.daemon` is set after `{}.start()`", object->id, object->id),
                          fmt::format("set it before the start, or create the process with `daemon=True` (Python raises "
                                      "AssertionError: process has already started)")});
    }

    void method_call(const ast::Expr& e) {
        const auto* call = std::get_if<ast::Call>(&e.node);
        const auto* attr = std::get_if<ast::Attribute>(call ? &call->callee->node : &e.node);
        if (!attr) return;
        const auto* object = std::get_if<ast::Name>(&attr->object->node);
        if (!object) return;
        std::string target = resolve(object->id);
        auto it = states_.find(target);
        if (it == states_.end()) return;
        State& state = it->second;
        // `p.strat()` or `p.start` without a call: already an error of its own;
        // what it did to `p` is unknown, so say nothing more about `p`.
        bool plural = target != object->id;
        bool signal = attr->attr == "terminate" || attr->attr == "kill";
        if (call && signal && state == State::Created) {
            diags_.push_back({Severity::Error, e.loc, e.length,
                              fmt::format("{} `{}` {} {} but never started", plural ? "the processes in" : "process", target,
                                          plural ? "are" : "is", attr->attr == "kill" ? "killed" : "terminated"),
                              fmt::format("call `{}.start()` first (Python raises AttributeError: 'NoneType' object has no "
                                          "attribute '{}')",
                                          object->id, attr->attr)});
            return;
        }
        if (!call || (attr->attr != "start" && attr->attr != "join")) {
            if (!(call && (signal || attr->attr == "is_alive"))) state = State::Unknown;
            return;
        }
        if (attr->attr == "start") {
            if (state == State::Started || state == State::Joined) {
                diags_.push_back(
                    {Severity::Error, e.loc, e.length,
                     fmt::format("{} `{}` {} already started", plural ? "the processes in" : "process", target, plural ? "were" : "was"),
                     "a process can be started only once (Python raises AssertionError)"});
            }
            if (state != State::Joined) state = State::Started;
        } else {
            if (state == State::Created) {
                diags_.push_back({Severity::Error, e.loc, e.length,
                                  fmt::format("{} `{}` {} joined but never started", plural ? "the processes in" : "process", target,
                                              plural ? "are" : "is"),
                                  fmt::format("call `{}.start()` before `{}.join()`", object->id, object->id)});
            }
            if (state == State::Started) state = State::Joined;
        }
    }

    const std::set<std::string>& templates_;
    States states_;
    std::map<std::string, std::string> aliases_;
    Diagnostics diags_;
};

}  // namespace

Diagnostics check_process_lifecycle(const ast::MainDef& main, const std::set<std::string>& process_templates) {
    return LifecycleCheck(process_templates).run(main);
}

}  // namespace critsec
