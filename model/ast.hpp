#pragma once
// The syntax tree, exactly as written: no names resolved, no types.
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/source.hpp"

namespace critsec::ast {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class BinOp { Add, Sub, Mul, Div, FloorDiv, Mod, Eq, Ne, Lt, Le, Gt, Ge, And, Or };
enum class UnOp { Neg, Not };

struct IntLit {
    long long value;
};
struct FloatLit {
    double value;
};
struct BoolLit {
    bool value;
};
struct StrLit {
    std::string value;
};
struct FStringPart {
    std::string text;  // literal text (used when expr is null)
    ExprPtr expr;
};
struct FString {
    std::vector<FStringPart> parts;
};
struct Name {
    std::string id;
};
struct Attribute {
    ExprPtr object;
    std::string attr;
    Loc attr_loc;
};
struct Index {
    ExprPtr object;
    ExprPtr index;
};
struct Keyword {
    std::string name;
    ExprPtr value;
    Loc loc;
};
struct Call {
    ExprPtr callee;
    std::vector<ExprPtr> args;
    std::vector<Keyword> keywords;
};
struct Unary {
    UnOp op;
    ExprPtr operand;
};
struct Binary {
    BinOp op;
    ExprPtr left;
    ExprPtr right;
};
struct ListLit {
    std::vector<ExprPtr> elements;
    bool tuple = false;  // written `(a, b)` in a Python program (the Python reader consumes these)
};
struct Conditional {  // `then if cond else orelse`
    ExprPtr then;
    ExprPtr cond;
    ExprPtr orelse;
};
struct ListComp {
    ExprPtr element;
    std::string var;
    Loc var_loc;
    ExprPtr iterable;
};

struct Expr {
    std::variant<IntLit, FloatLit, BoolLit, StrLit, FString, Name, Attribute, Index, Call, Unary, Binary, ListLit, ListComp, Conditional> node;
    Loc loc;
    int length = 1;  // columns spanned on the first line, for carets
};

struct Stmt;
using Block = std::vector<Stmt>;

enum class AssignOp { Set, Add, Sub, Mul };

struct ExprStmt {
    ExprPtr expr;
};
struct Assign {
    ExprPtr target;
    AssignOp op;
    ExprPtr value;
};
struct IfBranch {
    ExprPtr cond;
    Block body;
};
struct If {
    std::vector<IfBranch> branches;
    Block orelse;
};
struct While {
    ExprPtr cond;
    Block body;
};
struct For {
    std::string var;
    Loc var_loc;
    ExprPtr iterable;
    Block body;
};
struct With {
    ExprPtr context;
    std::optional<std::string> as_name;
    Loc as_loc;
    Block body;
};
struct Assert {
    ExprPtr cond;
    ExprPtr message;
};
struct Pass {};
struct Break {};
struct Continue {};
struct Global {
    std::vector<std::string> names;
};
struct Return {  // Python programs only: in a helper function
    ExprPtr value;  // may be null
};
struct Try {  // Python programs only: `try:` ... `finally:` ...
    Block body;
    Block finally_body;
};

struct Stmt {
    std::variant<ExprStmt, Assign, If, While, For, With, Assert, Pass, Break, Continue, Global, Return, Try> node;
    Loc loc;
};

struct Param {
    std::string name;
    Loc loc;
};

struct ProcessDef {
    std::string name;
    Loc name_loc;
    std::vector<Param> params;
    Block body;
    Loc loc;
    bool target_function = false;  // a Python function run by Process(target=...): its processes are named `Process-N`
};
struct MainDef {
    Block body;
    Loc loc;
};
struct TopAssign {
    std::string name;
    Loc name_loc;
    ExprPtr value;
    Loc loc;
};

// ---- Python programs only (model/python/): read into the items above before lowering.

struct FunctionDef {  // `def name(params):`, at the top level or in a class
    std::string name;
    Loc name_loc;
    std::vector<Param> params;
    Block body;
    Loc loc;
};
struct ClassDef {  // `class Name(Base):` with its methods
    std::string name;
    Loc name_loc;
    std::vector<ExprPtr> bases;
    std::vector<FunctionDef> methods;
    Loc loc;
};
struct Import {  // `import module [as alias]` (name empty) or `from module import name [as alias]`
    std::string module;
    std::string name;
    std::string alias;  // the name it is bound to in the program
    Loc loc;
    int length = 1;
};

struct Module {
    std::vector<TopAssign> globals;
    std::vector<ProcessDef> processes;
    std::optional<MainDef> main;
    // Python programs only: what the Python reader turns into processes and globals.
    std::vector<Import> imports;
    std::vector<FunctionDef> functions;
    std::vector<ClassDef> classes;
};

// A deep copy (the Python reader inlines a helper function's body at each call).
ExprPtr clone(const Expr& expr);
Block clone(const Block& block);

// An indented, Python-like rendering, for `--dump ast`.
std::string dump(const Module& module);
std::string dump(const Expr& expr);

}  // namespace critsec::ast
