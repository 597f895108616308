#pragma once
// The static types of the critsec language, as the static checks see them.
#include <string>

namespace critsec {

enum class TypeKind {
    Error,  // already reported: suppresses follow-on errors
    Int,
    Float,
    Bool,
    Str,
    Pid,         // pid(), parent_pid()
    Process,     // a process object: `Adder(1, 2)`
    List,        // a local list; `element` says of what
    FileHandle,  // what open() returns
    SharedValue,
    SharedArray,
    Lock,
    Semaphore,
    FileObject,
    ValueLock,  // total.get_lock()
    ProcessTemplate,
    Nothing,  // a call used for its effect
};

struct Type {
    TypeKind kind = TypeKind::Error;
    int index = -1;                      // Process/ProcessTemplate: template; shared kinds: object index
    TypeKind element = TypeKind::Error;  // List: element kind
    int element_index = -1;              // List of Process: the template
    int length = -1;                     // List: static length when known

    static Type of(TypeKind k, int index = -1) { return Type{k, index}; }
    static Type list_of(const Type& element, int length) { return Type{TypeKind::List, -1, element.kind, element.index, length}; }
    Type element_type() const { return Type{element, element_index}; }
    bool is_error() const { return kind == TypeKind::Error; }
    bool is_number() const { return kind == TypeKind::Int || kind == TypeKind::Float || kind == TypeKind::Bool; }
    bool same_as(const Type& o) const {
        if (kind != o.kind) return false;
        if (kind == TypeKind::List) return element == o.element && (element != TypeKind::Process || element_index == o.element_index);
        if (kind == TypeKind::Process) return index == o.index;
        return true;
    }
};

// `int`, `str`, `list of Adder`, `Lock`: for messages. Template names come from the caller.
std::string type_name(const Type& type, const std::string& template_name = "");

}  // namespace critsec
