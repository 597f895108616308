#include "model/types.hpp"

namespace critsec {

std::string type_name(const Type& t, const std::string& template_name) {
    switch (t.kind) {
        case TypeKind::Error: return "<error>";
        case TypeKind::Int: return "int";
        case TypeKind::Float: return "float";
        case TypeKind::Bool: return "bool";
        case TypeKind::Str: return "str";
        case TypeKind::Pid: return "pid";
        case TypeKind::Process: return template_name.empty() ? "process" : "process " + template_name;
        case TypeKind::List: {
            Type e = t.element_type();
            return "list of " + (e.kind == TypeKind::Error ? std::string("nothing") : type_name(e, template_name));
        }
        case TypeKind::FileHandle: return "open file";
        case TypeKind::SharedValue: return "Value";
        case TypeKind::SharedArray: return "Array";
        case TypeKind::Lock: return "Lock";
        case TypeKind::Semaphore: return "Semaphore";
        case TypeKind::FileObject: return "File";
        case TypeKind::ValueLock: return "the lock of a Value";
        case TypeKind::ProcessTemplate: return "process definition";
        case TypeKind::Nothing: return "None";
    }
    return "?";
}

}  // namespace critsec
