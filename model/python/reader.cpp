// The Python reader's passes, in order: names (imports, current_process()),
// templates (Process subclasses and target functions), starts (Process(target=...)
// and keyword arguments), shared objects (hoisted from __main__, bound to the
// parameters that receive them), and a last look for what was left unread.
#include "model/python/reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "model/python/inline_helpers.hpp"
#include "model/python/names.hpp"
#include "model/python/statements.hpp"
#include "model/python/tree_walk.hpp"

namespace critsec {
namespace {

using namespace ast;
using python::drop_statements;
using python::expand_statements;
using python::rewrite_block;
using python::rewrite_expr;

const std::set<std::string> kSharedConstructors = {"Value", "Array", "Lock", "RLock", "Semaphore", "BoundedSemaphore"};

ExprPtr make_expr(Loc loc, int length, decltype(Expr::node) node) {
    auto e = std::make_unique<Expr>();
    e->node = std::move(node);
    e->loc = loc;
    e->length = length;
    return e;
}

const std::string* name_of(const ExprPtr& e) {
    if (!e) return nullptr;
    const auto* n = std::get_if<Name>(&e->node);
    return n ? &n->id : nullptr;
}

bool is_call_to(const ExprPtr& e, const std::string& callee) {
    if (!e) return false;
    const auto* c = std::get_if<Call>(&e->node);
    const std::string* name = c ? name_of(c->callee) : nullptr;
    return name && *name == callee;
}

// `self.F`: the field name, or nothing.
const std::string* self_field(const ExprPtr& e) {
    const auto* a = e ? std::get_if<Attribute>(&e->node) : nullptr;
    const std::string* object = a ? name_of(a->object) : nullptr;
    return object && *object == "self" ? &a->attr : nullptr;
}

// What stands in for an expression the reader reported: nothing reports it again
// (the lowering does not run after the reader's errors).
void poison(ExprPtr& e) {
    Loc loc = e->loc;
    int length = e->length;
    e = make_expr(loc, length, Name{""});
}

class Reader {
public:
    explicit Reader(Module program) : in_(std::move(program)) {}

    PythonReadResult run() {
        for (const auto& i : in_.imports) imported_[i.alias] = i.name.empty() ? i.module : i.module + "." + i.name;
        for (const auto& i : in_.imports)
            if (i.name.empty()) module_aliases_.insert(i.alias);
        resolve_everywhere();
        find_targets();
        for (auto& d : python::inline_helpers(in_, targets_)) diags_.push_back(std::move(d));
        hoist_shared_objects();
        for (auto& cls : in_.classes) read_class(cls);
        for (auto& f : in_.functions) read_function(f);
        rewrite_starts();
        for (size_t t = 0; t < out_.processes.size(); ++t) bind_shared_parameters(out_.processes[t]);
        report_leftovers();
        return {std::move(out_), std::move(diags_)};
    }

private:
    void error(Loc loc, int length, std::string message, std::string hint = "") {
        diags_.push_back({Severity::Error, loc, std::max(1, length), std::move(message), std::move(hint)});
    }

    // ---- names ----------------------------------------------------------------------------

    // Every body, with the names of this program's imports read as the spec's.
    void resolve_everywhere() {
        for (auto& g : in_.globals) resolve_expr(g.value);
        for (auto& f : in_.functions) resolve_body(f.body);
        for (auto& cls : in_.classes) {
            for (auto& b : cls.bases) resolve_expr(b);
            for (auto& m : cls.methods) resolve_body(m.body);
        }
        in_main_ = true;
        if (in_.main) resolve_body(in_.main->body);
        in_main_ = false;
    }

    void resolve_body(Block& body) {
        auto expand = [&](Stmt& s) { return python::python_statement(s, diags_); };
        expand_statements(body, expand);
        auto fn = [&](ExprPtr& e) { resolve_node(e); };
        rewrite_block(body, fn);
        // `p = current_process()` names the running process; `p.pid` is then `pid()`.
        std::set<std::string> current_aliases;
        auto alias = [&](Stmt& s) {
            if (const auto* x = std::get_if<ExprStmt>(&s.node); x && std::holds_alternative<StrLit>(x->expr->node))
                return true;  // a docstring
            auto* a = std::get_if<Assign>(&s.node);
            const std::string* target = a && a->op == AssignOp::Set ? name_of(a->target) : nullptr;
            if (!target || !is_call_to(a->value, "current_process")) return false;
            current_aliases.insert(*target);
            return true;
        };
        drop_statements(body, alias);
        if (current_aliases.empty()) return;
        auto pid_of_alias = [&](ExprPtr& e) {
            const auto* a = std::get_if<Attribute>(&e->node);
            const std::string* object = a ? name_of(a->object) : nullptr;
            if (object && current_aliases.count(*object)) process_attribute(e, true);
        };
        rewrite_block(body, pid_of_alias);
    }

    void resolve_expr(ExprPtr& e) {
        auto fn = [&](ExprPtr& x) { resolve_node(x); };
        rewrite_expr(e, fn);
    }

    // Reads one node whose children are read already.
    void resolve_node(ExprPtr& e) {
        if (auto* b = std::get_if<Binary>(&e->node)) {
            default_of_a_read(*b);
            return;
        }
        if (auto* n = std::get_if<Name>(&e->node)) {
            auto it = imported_.find(n->id);
            if (it == imported_.end() || module_aliases_.count(n->id)) return;
            use_qualified(e, it->second);
            return;
        }
        auto* a = std::get_if<Attribute>(&e->node);
        if (!a) return;
        const std::string* object = name_of(a->object);
        if (object && module_aliases_.count(*object) && imported_.count(*object)) {
            use_qualified(e, imported_[*object] + "." + a->attr);
            return;
        }
        if (is_call_to(a->object, "current_process")) {
            process_attribute(e, true);
        } else if (is_call_to(a->object, "parent_process") && in_main_) {
            error(e->loc, e->length, "in the main process `parent_process()` is None: this fails with AttributeError",
                  "the main process's parent is the shell: `os.getppid()` gives its pid");
            poison(e);
        } else if (is_call_to(a->object, "parent_process")) {
            process_attribute(e, false);
        }
    }

    // `.pid` of the current (or the parent) process is the spec's `pid()` (`parent_pid()`);
    // the current one's `.name` is `process_name()`.
    void process_attribute(ExprPtr& e, bool current) {
        const auto& a = std::get<Attribute>(e->node);
        bool name = current && a.attr == "name";
        if (a.attr != "pid" && !name) {
            error(a.attr_loc, static_cast<int>(a.attr.size()), fmt::format("`.{}` of a process is not read by critsec yet", a.attr),
                  "critsec reads `current_process().pid` and `.name`, and `parent_process().pid`");
            poison(e);
            return;
        }
        Loc loc = e->loc;
        int length = e->length;
        const char* builtin = name ? "process_name" : current ? "pid" : "parent_pid";
        e = make_expr(loc, length, Call{make_expr(loc, length, Name{builtin}), {}, {}});
    }

    // `fd.readline() or 0`, the tutorial's idiom for an empty file, mixes a str and an
    // int, which a spec's types do not allow. Read as `fd.readline() or "0"`: the same
    // under int(), str(), print and f-strings; any other use of the value as an int
    // is then a type error that the lowering reports, never a silent difference.
    static void default_of_a_read(Binary& b) {
        const auto* call = b.op == BinOp::Or ? std::get_if<Call>(&b.left->node) : nullptr;
        const auto* method = call ? std::get_if<Attribute>(&call->callee->node) : nullptr;
        const auto* number = std::get_if<IntLit>(&b.right->node);
        if (!method || !number || (method->attr != "readline" && method->attr != "read")) return;
        b.right->node = StrLit{std::to_string(number->value)};
    }

    void use_qualified(ExprPtr& e, const std::string& qualified) {
        if (auto name = python::spec_name(qualified)) {
            Loc loc = e->loc;
            int length = e->length;
            e = make_expr(loc, length, Name{*name});
            return;
        }
        python::NotModelled why = python::not_modelled(qualified);
        error(e->loc, e->length, why.message, why.hint);
        poison(e);
    }

    // ---- templates ------------------------------------------------------------------------

    // The functions some `Process(target=f, ...)` starts.
    void find_targets() {
        auto fn = [&](ExprPtr& e) {
            if (!is_call_to(e, "Process")) return;
            for (const auto& k : std::get<Call>(e->node).keywords)
                if (const std::string* f = k.name == "target" ? name_of(k.value) : nullptr) targets_.insert(*f);
        };
        for (auto& f : in_.functions) rewrite_block(f.body, fn);
        for (auto& cls : in_.classes)
            for (auto& m : cls.methods) rewrite_block(m.body, fn);
        if (in_.main) rewrite_block(in_.main->body, fn);
    }

    void read_function(FunctionDef& f) {
        if (!targets_.count(f.name)) {
            helpers_[f.name] = f.name_loc;
            return;
        }
        templates_.insert(f.name);
        out_.processes.push_back({f.name, f.name_loc, std::move(f.params), std::move(f.body), f.loc, true});
    }

    void read_class(ClassDef& cls) {
        bool process = false;
        for (const auto& b : cls.bases) process = process || (name_of(b) && *name_of(b) == "Process");
        if (!process) {
            error(cls.name_loc, static_cast<int>(cls.name.size()), fmt::format("class `{}` is not a Process subclass", cls.name),
                  "critsec reads classes that extend multiprocessing.Process, with `__init__` and `run`");
            return;
        }
        FunctionDef* init = nullptr;
        FunctionDef* run = nullptr;
        for (auto& m : cls.methods) {
            if (m.name == "__init__") init = &m;
            else if (m.name == "run") run = &m;
            else
                error(m.name_loc, static_cast<int>(m.name.size()), fmt::format("method `{}` is not read by critsec yet", m.name),
                      "a Process subclass has `__init__` and `run`; write the method's body where it is called");
        }
        if (!run) {
            error(cls.name_loc, static_cast<int>(cls.name.size()), fmt::format("class `{}` has no `run` method", cls.name),
                  "a process runs its `run(self)`");
            return;
        }
        ProcessDef def{cls.name, cls.name_loc, {}, {}, cls.loc};
        if (init && !init->params.empty()) def.params.assign(init->params.begin() + 1, init->params.end());
        std::vector<std::pair<std::string, ExprPtr>> fields;
        if (init) fields = read_init(*init);
        rename_clashing_parameters(def.params, fields, run->body);
        def.body = with_fields(cls.name, def.params, std::move(fields), std::move(run->body));
        templates_.insert(cls.name);
        out_.processes.push_back(std::move(def));
    }

    // `__init__`'s parameters are not `run`'s locals in Python; in the template they
    // share one scope, so a parameter that `run` also assigns gets another name.
    static void rename_clashing_parameters(std::vector<Param>& params, std::vector<std::pair<std::string, ExprPtr>>& fields, Block& run) {
        std::map<std::string, int> run_locals;
        count_assignments(run, run_locals);
        for (auto& p : params) {
            if (!run_locals.count(p.name)) continue;
            std::string renamed = "init_" + p.name;
            auto fn = [&](ExprPtr& e) {
                if (auto* n = std::get_if<Name>(&e->node); n && n->id == p.name) n->id = renamed;
            };
            for (auto& [field, value] : fields) rewrite_expr(value, fn);
            p.name = renamed;
        }
    }

    // `__init__`'s `self.F = E` assignments, in order; its `super().__init__()` is dropped.
    std::vector<std::pair<std::string, ExprPtr>> read_init(FunctionDef& init) {
        std::vector<std::pair<std::string, ExprPtr>> fields;
        bool super_called = false;
        for (auto& s : init.body) {
            if (std::holds_alternative<Pass>(s.node)) continue;
            if (auto* x = std::get_if<ExprStmt>(&s.node)) {
                if (std::holds_alternative<StrLit>(x->expr->node)) continue;  // a docstring
                if (is_super_init(x->expr)) {
                    super_called = true;
                    continue;
                }
            }
            auto* a = std::get_if<Assign>(&s.node);
            const std::string* field = a && a->op == AssignOp::Set ? self_field(a->target) : nullptr;
            if (!field) {
                error(s.loc, 1, "critsec reads `self.field = ...` and `super().__init__()` in `__init__`",
                      "do the work in `run`, which is what the child process executes");
                continue;
            }
            if (!pure_field_value(a->value)) {
                error(a->value->loc, a->value->length,
                      fmt::format("critsec reads `self.{}` set from `__init__`'s parameters, shared objects and constants only", *field),
                      "CPython computes it in the parent when the object is made: compute it there and pass it as a parameter");
                continue;
            }
            fields.emplace_back(*field, std::move(a->value));
        }
        if (!super_called)
            error(init.name_loc, static_cast<int>(init.name.size()), "`__init__` does not call `super().__init__()`: CPython fails at `start()`",
                  "call `super().__init__()` first in `__init__`");
        return fields;
    }

    // A field's value the child can compute again from its parameters: what CPython
    // computed in the parent when the object was made (no shared read, no call, no draw).
    static bool pure_field_value(ExprPtr& e) {
        bool pure = true;
        auto fn = [&](ExprPtr& x) {
            std::visit(
                [&](const auto& n) {
                    using T = std::decay_t<decltype(n)>;
                    if constexpr (std::is_same_v<T, Call> || std::is_same_v<T, Attribute> || std::is_same_v<T, Index> ||
                                  std::is_same_v<T, ListComp> || std::is_same_v<T, Conditional>)
                        pure = false;
                },
                x->node);
        };
        rewrite_expr(e, fn);
        return pure;
    }

    static bool is_super_init(const ExprPtr& e) {
        const auto* c = std::get_if<Call>(&e->node);
        const auto* a = c ? std::get_if<Attribute>(&c->callee->node) : nullptr;
        if (!a || a->attr != "__init__") return false;
        return is_call_to(a->object, "super") || (name_of(a->object) && *name_of(a->object) == "Process");
    }

    // `run`'s body with `self.F` read as the parameter F was set from, or as a local
    // set first (a field computed in `__init__`, or one that `run` changes).
    Block with_fields(const std::string& cls, const std::vector<Param>& params, std::vector<std::pair<std::string, ExprPtr>> fields,
                      Block run) {
        std::set<std::string> assigned_in_run;
        collect_self_assignments(run, assigned_in_run);
        std::map<std::string, std::string> read_as;  // field -> the name it is read as
        Block body;
        for (auto& entry : fields) {
            const std::string& field = entry.first;  // not a structured binding: clang 14 cannot capture those
            auto& value = entry.second;
            const std::string* param = name_of(value);
            bool is_param = param && std::any_of(params.begin(), params.end(), [&](const Param& p) { return p.name == *param; });
            if (is_param && !assigned_in_run.count(field)) {
                read_as[field] = *param;
                field_params_[field] = *param;
                continue;
            }
            if (param && !is_param && shared_.count(*param)) {  // a module-level shared object
                read_as[field] = *param;
                continue;
            }
            bool clash = std::any_of(params.begin(), params.end(), [&](const Param& p) { return p.name == field; });
            std::string local = clash ? "self_" + field : field;
            read_as[field] = local;
            Loc loc = value->loc;
            body.push_back({Assign{make_expr(loc, 1, Name{local}), AssignOp::Set, std::move(value)}, loc});
        }
        auto fn = [&](ExprPtr& e) {
            const std::string* field = self_field(e);
            if (!field) return;
            Loc loc = e->loc;
            int length = e->length;
            if (auto it = read_as.find(*field); it != read_as.end()) e = make_expr(loc, length, Name{it->second});
            else if (*field == "pid" || *field == "name")
                e = make_expr(loc, length, Call{make_expr(loc, length, Name{*field == "pid" ? "pid" : "process_name"}), {}, {}});
            else {
                error(loc, length, fmt::format("`self.{}` is not set in `{}.__init__`", *field, cls),
                      "set every field in `__init__`, as in `self._total = total`");
                poison(e);
            }
        };
        rewrite_block(run, fn);
        for (auto& s : run) body.push_back(std::move(s));
        return body;
    }

    static void collect_self_assignments(Block& block, std::set<std::string>& out) {
        auto pick = [&](Stmt& s) {
            if (const auto* a = std::get_if<Assign>(&s.node))
                if (const std::string* field = self_field(a->target)) out.insert(*field);
            return false;
        };
        drop_statements(block, pick);
    }

    // ---- starts ---------------------------------------------------------------------------

    // `Process(target=f, args=(a, b))` is `f(a, b)`; `Adder(n1=1, n2=2)` is `Adder(1, 2)`.
    void rewrite_starts() {
        std::map<std::string, std::vector<std::string>> param_names;
        for (const auto& p : out_.processes)
            for (const auto& x : p.params) param_names[p.name].push_back(x.name);
        auto fn = [&](ExprPtr& e) {
            if (is_call_to(e, "Process")) rewrite_process_call(e);
            auto* c = std::get_if<Call>(&e->node);
            const std::string* callee = c ? name_of(c->callee) : nullptr;
            if (!callee) return;
            if (helpers_.count(*callee)) {
                error(e->loc, e->length, fmt::format("critsec reads a call to the helper function `{}` as a statement or as `x = {}(...)`", *callee, *callee),
                      "call it on a line of its own, assigning its result to a name");
                return;
            }
            if (templates_.count(*callee) && !c->keywords.empty()) positional(*c, param_names[*callee], targets_.count(*callee) > 0);
        };
        for (auto& p : out_.processes) rewrite_block(p.body, fn);
        if (out_.main) rewrite_block(out_.main->body, fn);
        for (auto& g : out_.globals) rewrite_expr(g.value, fn);
    }

    void rewrite_process_call(ExprPtr& e) {
        auto& call = std::get<Call>(e->node);
        if (!call.args.empty()) {
            error(call.args[0]->loc, call.args[0]->length, "critsec reads `Process(target=..., args=(...))` with keywords",
                  "name the arguments: `Process(target=task, args=(1, 2))`");
            poison(e);
            return;
        }
        ExprPtr target;
        std::vector<ExprPtr> args;
        std::vector<Keyword> kept;  // `name=` and `daemon=`: the spec's keywords too
        for (auto& k : call.keywords) {
            if (k.name == "target") {
                target = std::move(k.value);
            } else if (k.name == "args") {
                auto* list = std::get_if<ListLit>(&k.value->node);
                if (!list) {
                    error(k.value->loc, k.value->length, "critsec reads `args=` as a tuple written out", "write `args=(a, b)`");
                    poison(e);
                    return;
                }
                args = std::move(list->elements);
            } else if (k.name == "name" || k.name == "daemon") {
                kept.push_back(std::move(k));
            } else if (k.name == "kwargs") {
                // `kwargs={"n": 1}`, parsed as `dict(n=1)`: keyword arguments, made positional below.
                auto* dict = is_call_to(k.value, "dict") ? &std::get<Call>(k.value->node) : nullptr;
                if (!dict || !dict->args.empty()) {
                    error(k.value->loc, k.value->length, "critsec reads `kwargs=` as a dict written out",
                          "write `kwargs={\"n\": 1}`, a string key per parameter");
                    poison(e);
                    return;
                }
                for (auto& x : dict->keywords) kept.push_back(std::move(x));
            } else {
                error(k.loc, static_cast<int>(k.name.size()), fmt::format("`Process(..., {}=...)` is not read by critsec yet", k.name),
                      "critsec reads `target=`, `args=`, `kwargs=`, `name=` and `daemon=`");
                poison(e);
                return;
            }
        }
        const std::string* f = name_of(target);
        if (!f || !templates_.count(*f)) {
            error(e->loc, e->length, "critsec reads `Process(target=f, ...)` with `f` a function defined in this program",
                  "define the function the process runs with `def`");
            poison(e);
            return;
        }
        Loc loc = e->loc;
        int length = e->length;
        e = make_expr(loc, length, Call{std::move(target), std::move(args), std::move(kept)});
    }

    // A target function's process keeps its `name=` and `daemon=`, which are not parameters.
    void positional(Call& c, const std::vector<std::string>& params, bool named_process) {
        std::vector<ExprPtr> args(params.size());
        for (size_t i = 0; i < c.args.size() && i < args.size(); ++i) args[i] = std::move(c.args[i]);
        std::vector<Keyword> kept;
        for (auto& k : c.keywords) {
            if (named_process && (k.name == "name" || k.name == "daemon")) {
                kept.push_back(std::move(k));
                continue;
            }
            auto at = std::find(params.begin(), params.end(), k.name);
            if (at == params.end() || args[at - params.begin()]) {
                error(k.loc, static_cast<int>(k.name.size()), fmt::format("no parameter `{}` to give here", k.name),
                      fmt::format("the parameters are: {}", fmt::join(params, ", ")));
                c.keywords.clear();
                return;
            }
            args[at - params.begin()] = std::move(k.value);
        }
        c.keywords = std::move(kept);
        c.args.clear();
        for (auto& a : args)
            if (a) c.args.push_back(std::move(a));
    }

    // ---- shared objects -------------------------------------------------------------------

    // `lock = Lock()` at the top of `__main__` makes a global: a spec names its shared
    // objects at the top level (they exist before any process starts either way).
    void hoist_shared_objects() {
        out_.globals = std::move(in_.globals);
        for (const auto& g : out_.globals)
            if (is_shared_constructor(g.value)) shared_.insert(g.name);
        if (!in_.main) {
            error({1, 1}, 1, "no `if __name__ == \"__main__\":` block", "critsec starts the program there, as multiprocessing needs");
            return;
        }
        std::map<std::string, int> assignments;
        count_assignments(in_.main->body, assignments);
        Block kept;
        for (auto& s : in_.main->body) {
            auto* a = std::get_if<Assign>(&s.node);
            const std::string* name = a && a->op == AssignOp::Set ? name_of(a->target) : nullptr;
            bool global = name && std::any_of(out_.globals.begin(), out_.globals.end(), [&](const TopAssign& g) { return g.name == *name; });
            if (name && !global && assignments[*name] == 1 && is_shared_constructor(a->value)) {
                shared_.insert(*name);
                out_.globals.push_back({*name, a->target->loc, std::move(a->value), s.loc});
                continue;
            }
            kept.push_back(std::move(s));
        }
        out_.main = MainDef{std::move(kept), in_.main->loc};
        for (auto& g : out_.globals) drop_lock_keyword(g);
    }

    // `Value("i", 0, lock=False)`: a spec's Value has no such keyword. The value is
    // the same; only `get_lock()` differs (CPython has none then: refused below).
    void drop_lock_keyword(TopAssign& g) {
        auto* c = std::get_if<Call>(&g.value->node);
        if (!c || !(is_call_to(g.value, "Value") || is_call_to(g.value, "Array"))) return;
        for (auto it = c->keywords.begin(); it != c->keywords.end();) {
            if (it->name != "lock") {
                ++it;
                continue;
            }
            const auto* flag = std::get_if<BoolLit>(&it->value->node);
            if (flag && !flag->value) lock_free_.insert(g.name);
            it = c->keywords.erase(it);
        }
    }

    static bool is_shared_constructor(const ExprPtr& e) {
        return std::any_of(kSharedConstructors.begin(), kSharedConstructors.end(), [&](const std::string& c) { return is_call_to(e, c); });
    }

    static void count_assignments(Block& block, std::map<std::string, int>& out) {
        auto count = [&](Stmt& s) {
            if (const auto* a = std::get_if<Assign>(&s.node))
                if (const std::string* n = name_of(a->target)) ++out[*n];
            if (const auto* f = std::get_if<For>(&s.node)) ++out[f->var];
            if (const auto* w = std::get_if<With>(&s.node); w && w->as_name) ++out[*w->as_name];
            return false;
        };
        drop_statements(block, count);
    }

    // A parameter that every start of the template gives the same shared object is
    // read as that object; different objects for one parameter cannot be named.
    void bind_shared_parameters(ProcessDef& def) {
        std::vector<Call*> starts = starts_of(def.name);
        for (size_t i = def.params.size(); i-- > 0;) {
            std::string object;
            bool bind = !starts.empty();
            for (Call* c : starts) {
                const std::string* arg = i < c->args.size() ? name_of(c->args[i]) : nullptr;
                bool shared = arg && shared_.count(*arg);
                if (shared && !object.empty() && *arg != object) {
                    error(c->args[i]->loc, c->args[i]->length,
                          fmt::format("`{}` gets `{}` here and `{}` at another start: critsec reads a shared parameter as one object",
                                      def.params[i].name, *arg, object),
                          "give every process the same object, or write one process class per object");
                }
                if (shared && object.empty()) object = *arg;
                bind = bind && shared;
            }
            if (!bind) continue;
            std::string param = def.params[i].name;
            auto fn = [&](ExprPtr& e) {
                if (const std::string* n = name_of(e); n && *n == param) std::get<Name>(e->node).id = object;
            };
            rewrite_block(def.body, fn);
            def.params.erase(def.params.begin() + static_cast<long>(i));
            for (Call* c : starts) c->args.erase(c->args.begin() + static_cast<long>(i));
        }
    }

    std::vector<Call*> starts_of(const std::string& name) {
        std::vector<Call*> out;
        auto fn = [&](ExprPtr& e) {
            if (is_call_to(e, name)) out.push_back(&std::get<Call>(e->node));
        };
        for (auto& p : out_.processes) rewrite_block(p.body, fn);
        if (out_.main) rewrite_block(out_.main->body, fn);
        return out;
    }

    // ---- what is left ---------------------------------------------------------------------

    void report_leftovers() {
        auto fn = [&](ExprPtr& e) {
            if (auto* a = std::get_if<Attribute>(&e->node)) {
                if (const std::string* object = name_of(a->object); object && lock_free_.count(*object) && a->attr == "get_lock") {
                    error(a->attr_loc, static_cast<int>(a->attr.size()), fmt::format("`{}` was made with lock=False: it has no get_lock()", *object),
                          "make it with the default lock=True, or share a Lock");
                    return;
                }
                // `p._n1` in main: the field the process was given as its parameter n1.
                if (auto it = field_params_.find(a->attr); it != field_params_.end() && !self_field(e)) a->attr = it->second;
                return;
            }
            const std::string* n = name_of(e);
            if (!n) return;
            if (*n == "self")
                error(e->loc, e->length, "critsec reads `self` only as `self.field`", "use the field, as in `self._total.value`");
            else if (*n == "current_process")
                error(e->loc, e->length, "critsec reads `current_process()` only as `current_process().pid` or `.name`");
            else if (*n == "parent_process") error(e->loc, e->length, "critsec reads `parent_process()` only as `parent_process().pid`");
            else if (*n == "Process")
                error(e->loc, e->length, "critsec reads `Process` only as `Process(target=f, args=(...))` or as a base class");
            else if (*n == "dict")
                error(e->loc, e->length, "critsec reads a dict only as the `kwargs=` of a Process", "use a list, or separate variables");
        };
        for (auto& p : out_.processes) rewrite_block(p.body, fn);
        if (out_.main) rewrite_block(out_.main->body, fn);
    }

    Module in_;
    Module out_;
    Diagnostics diags_;
    std::map<std::string, std::string> imported_;  // a bound name -> what it is ("multiprocessing.Lock", or a module)
    std::set<std::string> module_aliases_;         // names bound to a module by `import`
    std::set<std::string> targets_;                // functions some Process(target=...) runs
    std::set<std::string> templates_;              // process templates made so far
    std::map<std::string, Loc> helpers_;           // other functions
    std::set<std::string> shared_;                 // globals made by a shared constructor
    std::map<std::string, std::string> field_params_;  // `self._n1` -> n1, for main's `p._n1`
    bool in_main_ = false;                             // resolving the `__main__` block
    std::set<std::string> lock_free_;                  // Values and Arrays made with lock=False
};

}  // namespace

PythonReadResult read_python(Module program) { return Reader(std::move(program)).run(); }

}  // namespace critsec
