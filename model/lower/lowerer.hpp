#pragma once
// The lowering's private state: one Lowerer walks the checked AST once, resolving
// names, checking types and the static rules, and emitting the model. Its members
// are defined by concern, one file each in model/lower/ (named below); only
// model/lower.cpp and those files include this header. Users call lower()
// (model/lower.hpp).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/ast.hpp"
#include "model/lower.hpp"
#include "model/program.hpp"
#include "model/types.hpp"

namespace critsec::lowering {

using model::ExprPtr;
using model::Var;

// Builtin functions a spec may call, with their arity (min, max; -1 is any).
struct BuiltinInfo {
    const char* name;
    int min_args;
    int max_args;
};
const BuiltinInfo* find_builtin(const std::string& name);

inline ExprPtr mk(model::Expr e) { return std::make_shared<const model::Expr>(std::move(e)); }
inline ExprPtr mk_var(Var v, Loc loc) { return mk({v, loc}); }
inline ExprPtr mk_const(model::Value v, Loc loc) { return mk({model::Const{std::move(v)}, loc}); }

// Whether print(), str() and f-strings can show a value of this type.
bool printable(const Type& t);
// "a Lock", "an Array": for messages.
std::string article(const std::string& noun);

// ---- symbols ----------------------------------------------------------------------

enum class GlobalKind { Object, Plain, Template };
struct GlobalSym {
    GlobalKind kind;
    int index;
    Type type;
    std::optional<int64_t> constant;  // a plain int global never reassigned
    Loc loc;
};
struct LocalSym {
    int slot;
    Type type;
};
// A loop being lowered, for its `break` and `continue`: the jumps to patch once
// its end is known, and how many `with` blocks were open outside it.
struct OpenLoop {
    int continue_to = -1;  // a `while` head; -1: the end of the body (a `for`'s next element), patched with the breaks
    std::vector<int> breaks;
    std::vector<int> continues;
    size_t withs_outside = 0;
};

// The code being emitted: main's or one process template's.
struct Body {
    model::ProcessTemplate* code = nullptr;
    int process = -1;  // -1 for main
    std::map<std::string, LocalSym> locals;
    std::set<std::string> declared_global;
    int dynamic_depth = 0;   // inside `while` or `if`: process creation is not static
    int64_t multiplier = 1;  // iterations of enclosing static loops
    bool multiplier_known = true;
    int temps = 0;
    // Loads whose value each local holds, for the lost-update pattern.
    std::map<int, std::vector<int>> taint;
    std::vector<OpenLoop> loops;
    // What ends each open `with` block, innermost last: a `break` out of it runs them, as Python's __exit__.
    std::vector<model::InstrNode> with_exits;
};

struct Lowered {
    ExprPtr expr;
    Type type;
};

struct LoopPlan {
    // For `range`: the bounds; for a list: the list.
    bool is_range = false;
    ExprPtr start, stop, step;
    int64_t step_sign = 1;
    ExprPtr list;
    Type element;
    std::optional<int64_t> count;  // static iteration count
    bool ok = false;
};

// An open loop: its head and branch pcs, for close_loop().
struct LoopFrame {
    int head;
    int branch;
    Var counter;
    ExprPtr step;
};

// A shared cell an assignment writes: `total.value` (no index) or `arr[i]`.
struct SharedCell {
    int object;
    ExprPtr index;
};

class Lowerer {
public:
    Lowerer(const ast::Module& module, const std::string& path) : module_(module) { program_.spec_path = path; }

    LowerResult run();

private:
    // ---- model/lower.cpp: diagnostics and bodies ----------------------------------------

    void error(Loc loc, int length, std::string message, std::string hint = "");
    void error(const ast::Expr& e, std::string message, std::string hint = "");
    std::string tname(const Type& t) const;
    size_t error_count() const;
    Lowered poisoned() const;
    void lower_process(int index);
    void lower_main();
    void check_instance_caps();

    int pc() const { return static_cast<int>(body_->code->code.size()); }
    int emit(model::InstrNode node, Loc loc) {
        body_->code->code.push_back({std::move(node), loc, 0});
        return pc() - 1;
    }

    // ---- scope.cpp: names, slots and what they hold -------------------------------------

    void declare_processes();
    void prescan_global_writes();
    void collect_writes(const ast::Block& block, bool in_main, const std::set<std::string>& declared);
    void collect_assigned_names(const ast::Block& block);
    std::vector<std::string> visible_names() const;
    std::optional<LocalSym> find_local(const std::string& name) const;
    Var declare_local(const std::string& name, const Type& type);
    Var new_temp(const std::string& hint = "t");
    void unknown_name(const ast::Expr& e, const std::string& name);
    bool assigned_later(const std::string& name) const;
    std::vector<int> loads_behind(const model::Expr& e) const;
    void set_taint(const Var& v, std::vector<int> loads);

    // ---- constants.cpp: what a spec fixes statically ------------------------------------

    std::optional<int64_t> const_int(const ast::Expr& e) const;
    bool report_zero_divisor(const ast::Expr& e);
    std::optional<std::string> const_str(const ast::Expr& e) const;
    std::optional<int64_t> range_count(const ast::Expr& iterable) const;

    // ---- objects.cpp: globals and shared objects ----------------------------------------

    void declare_globals();
    void declare_object(const ast::TopAssign& g, const std::string& kind, const ast::Call& call);
    void poison_global(const ast::TopAssign& g);
    bool describe_object(const std::string& kind, const ast::Call& call, model::SharedObject& obj);
    bool describe_value(const ast::Call& call, model::SharedObject& obj);
    bool describe_array(const ast::Call& call, model::SharedObject& obj);
    bool listed_cells(const ast::ListLit& list, const ast::Expr& spec, const model::Typecode& tc, model::SharedObject& obj);
    bool repeated_cells(const ast::ListComp& comp, const ast::Expr& spec, const model::Typecode& tc, model::SharedObject& obj);
    bool describe_semaphore(const ast::Call& call, model::SharedObject& obj);
    bool describe_file(const ast::Call& call, model::SharedObject& obj);
    int add_object(model::SharedObject obj, const std::string& name, Loc loc);
    std::optional<model::Typecode> typecode_arg(const ast::Expr& e);
    bool check_fits(const ast::Expr& e, int64_t v, const model::Typecode& tc);
    bool check_file_name(const ast::Expr& at, const std::string& name);
    int find_file(const std::string& name) const;
    int value_lock(int value_object);

    // ---- expressions.cpp ----------------------------------------------------------------

    Lowered lower_expr(const ast::Expr& e);
    Lowered value_expr(const ast::Expr& e);
    Lowered lower_node(const ast::Expr& e, const ast::IntLit& n);
    Lowered lower_node(const ast::Expr& e, const ast::FloatLit& n);
    Lowered lower_node(const ast::Expr& e, const ast::BoolLit& n);
    Lowered lower_node(const ast::Expr& e, const ast::StrLit& n);
    Lowered lower_node(const ast::Expr& e, const ast::FString& n);
    Lowered lower_node(const ast::Expr& e, const ast::Name& n);
    Lowered lower_node(const ast::Expr& e, const ast::Attribute& n);
    Lowered lower_node(const ast::Expr& e, const ast::Index& n);
    Lowered lower_node(const ast::Expr& e, const ast::Unary& n);
    Lowered lower_node(const ast::Expr& e, const ast::Binary& n);
    Lowered lower_node(const ast::Expr& e, const ast::Conditional& n);
    Lowered lower_node(const ast::Expr& e, const ast::ListLit& n);
    Lowered lower_node(const ast::Expr& e, const ast::ListComp& n);
    Lowered lower_node(const ast::Expr& e, const ast::Call& n);  // calls.cpp
    std::string printable_hint(const ast::Expr& e, const Type& t) const;
    bool reject_non_value(const ast::Expr& e, const Type& t);
    std::string expr_text(const ast::Expr& e) const;
    std::vector<std::string> attributes_of(const Type& t, bool call) const;
    void unknown_attribute(const ast::Expr& e, const ast::Attribute& n, const Type& t, bool call);
    int64_t cell_count(int object) const;
    std::optional<ExprPtr> array_index(const ast::Expr& e, int object, const ast::Expr& index);
    Type binary_type(const ast::Expr& e, ast::BinOp op, const Type& l, const Type& r);

    // ---- loops.cpp: `for` and list comprehensions ---------------------------------------

    LoopPlan plan_loop(const ast::Expr& iterable);
    LoopPlan plan_range(const ast::Expr& iterable, const ast::Call& call);
    LoopPlan plan_list(const ast::Expr& iterable);
    LoopFrame open_loop(const LoopPlan& plan, Var target, Loc loc);
    void close_loop(const LoopFrame& frame, Loc loc);
    void in_loop_body(const LoopPlan& plan, const std::function<void()>& body);

    // ---- calls.cpp: processes, builtins and methods -------------------------------------

    bool check_arity(const ast::Expr& call_expr, const ast::Call& call, const std::string& name, int min, int max,
                     bool keywords_checked = false);
    struct ProcessKeywords {
        ExprPtr name, daemon;  // null when not given
    };
    std::optional<ProcessKeywords> process_keywords(const ast::Call& call, const std::string& process);
    Lowered create_process(const ast::Expr& e, const ast::Call& call, int process);
    Lowered expect_type(const ast::Expr& e, std::initializer_list<TypeKind> kinds, const char* what);
    Lowered call_builtin(const ast::Expr& e, const ast::Call& call, const std::string& name);
    bool print_keywords_ok(const ast::Call& call);
    bool builtin_allowed_here(const ast::Expr& e, const std::string& name);
    Lowered call_randint(const ast::Expr& e, const ast::Call& call);
    Lowered call_len(const ast::Expr& e, const ast::Call& call);
    Lowered call_conversion(const ast::Expr& e, const ast::Call& call, const std::string& name);
    Lowered call_numeric(const ast::Expr& e, const ast::Call& call, const std::string& name);
    Lowered call_list(const ast::Expr& e, const ast::Call& call);
    Lowered call_sleep(const ast::Expr& e, const ast::Call& call);
    Lowered lower_print(const ast::Expr& e, const ast::Call& call);
    Lowered lower_open(const ast::Expr& e, const ast::Call& call);
    Lowered call_method(const ast::Expr& e, const ast::Call& call, const ast::Attribute& attr);
    Lowered lower_acquire(const ast::Expr& e, const ast::Call& call, int object);
    Lowered lower_append(const ast::Expr& e, const ast::Call& call, const ast::Expr& list);

    // ---- processes.cpp: what main does with a process object besides start() ----------
    Lowered process_method(const ast::Expr& e, const ast::Call& call, const ast::Attribute& attr, const Lowered& object);
    Lowered lower_join(const ast::Expr& e, const ast::Call& call, const Lowered& object);
    std::optional<Lowered> process_field(const ast::Expr& e, const ast::Attribute& n, const Lowered& object);
    void set_daemon(const ast::Expr& target, const ast::Assign& n, const Lowered& object);
    bool in_main_only(const ast::Expr& e, const std::string& what);

    // ---- statements.cpp -----------------------------------------------------------------

    void lower_block(const ast::Block& block);
    void lower_scoped(const ast::Block& block);
    void lower_stmt(const ast::Stmt& s);
    void lower_stmt_node(const ast::Stmt& s, const ast::Pass& n);
    void lower_stmt_node(const ast::Stmt& s, const ast::Break& n);
    void lower_stmt_node(const ast::Stmt& s, const ast::Continue& n);
    void leave_withs_of_loop(Loc loc);
    void lower_loop_body(const ast::Block& body, int continue_to);
    void lower_stmt_node(const ast::Stmt& s, const ast::Global& n);
    void lower_stmt_node(const ast::Stmt& s, const ast::Return& n);
    void lower_stmt_node(const ast::Stmt& s, const ast::Try& n);
    void lower_stmt_node(const ast::Stmt& s, const ast::ExprStmt& n);
    void lower_stmt_node(const ast::Stmt& s, const ast::Assign& n);
    void lower_stmt_node(const ast::Stmt& s, const ast::If& n);
    void lower_stmt_node(const ast::Stmt& s, const ast::While& n);
    void lower_stmt_node(const ast::Stmt& s, const ast::For& n);
    void lower_stmt_node(const ast::Stmt& s, const ast::With& n);
    void lower_stmt_node(const ast::Stmt& s, const ast::Assert& n);
    std::optional<SharedCell> shared_cell(const ast::Expr& target, const ast::Assign& n);
    void store_cell(const SharedCell& cell, const ast::Assign& n);
    void assign_name(const ast::Stmt& s, const ast::Assign& n, const std::string& name);
    void assign_name_compound(const ast::Stmt& s, const ast::Assign& n, const std::string& name, model::BinaryOp op);
    std::optional<Var> assignment_target(const ast::Expr& target, const std::string& name, const Type& value_type, bool compound);
    ExprPtr condition(const ast::Expr& e);

    // ---- state --------------------------------------------------------------------------

    const ast::Module& module_;
    model::Program program_;
    Diagnostics diags_;
    std::map<std::string, GlobalSym> globals_;
    std::set<std::string> written_globals_;
    std::set<std::string> later_assigned_;
    std::set<std::string> main_locals_;
    std::map<int, int> value_locks_;
    Body main_body_;
    Body* body_ = nullptr;
    mutable int poisoned_ = 0;
    // What main passes for each parameter of each process, learned from its calls.
    std::map<int, std::map<size_t, Type>> params_types_;
    std::map<int, std::map<size_t, Loc>> param_sites_;
    std::map<int, std::set<size_t>> poisoned_params_;  // a bad argument was reported: stay silent in the body
    bool daemons_ = false;                             // `daemon=` or `p.daemon = ...`: main ends with AtExit
};

}  // namespace critsec::lowering
