#pragma once
// The values a spec computes with (and, through typecode.hpp, the C typecodes of
// the shared cells they are stored in).
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "model/typecode.hpp"

namespace critsec::model {

// A process object (what `Adder(1, 2)` makes); `instance` indexes the run's instances.
struct ProcRef {
    int instance;
    friend bool operator==(const ProcRef&, const ProcRef&) = default;
};
// What `pid()` returns. Instance 0 is main; -1 is main's parent (the shell).
struct Pid {
    int instance;
    friend bool operator==(const Pid&, const Pid&) = default;
};
// An open file, private to the process that opened it.
struct FileHandle {
    int open_index;
    friend bool operator==(const FileHandle&, const FileHandle&) = default;
};
struct Unset {
    friend bool operator==(const Unset&, const Unset&) = default;
};
// Python's None: what `p.exitcode` is while p runs, `p.pid` before p.start().
struct NoneValue {
    friend bool operator==(const NoneValue&, const NoneValue&) = default;
};

struct Value;
using List = std::vector<Value>;

struct Value {
    std::variant<Unset, int64_t, double, bool, std::string, ProcRef, Pid, FileHandle, List, NoneValue> v;

    Value() = default;
    Value(int64_t i) : v(i) {}
    Value(int i) : v(int64_t{i}) {}
    Value(double d) : v(d) {}
    Value(bool b) : v(b) {}
    Value(std::string s) : v(std::move(s)) {}
    Value(const char* s) : v(std::string(s)) {}
    Value(ProcRef p) : v(p) {}
    Value(Pid p) : v(p) {}
    Value(FileHandle f) : v(f) {}
    Value(List l) : v(std::move(l)) {}
    Value(NoneValue n) : v(n) {}

    template <class T>
    bool is() const {
        return std::holds_alternative<T>(v);
    }
    template <class T>
    const T& as() const {
        return std::get<T>(v);
    }
    template <class T>
    T& as() {
        return std::get<T>(v);
    }
    friend bool operator==(const Value&, const Value&) = default;
};

// Python's str() of a value; pids go through `pid_name` (a real pid at run time,
// `Adder#3` in predictions).
template <class PidName>
std::string to_python_str(const Value& value, const PidName& pid_name);
std::string python_float_repr(double d);

// ---- inline definitions -------------------------------------------------------------

template <class PidName>
std::string to_python_str(const Value& value, const PidName& pid_name) {
    struct Visitor {
        const PidName& pid_name;
        std::string operator()(const Unset&) const { return "<unset>"; }
        std::string operator()(int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const { return python_float_repr(d); }
        std::string operator()(bool b) const { return b ? "True" : "False"; }
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(const ProcRef& p) const { return "<Process " + pid_name(p.instance) + ">"; }
        std::string operator()(const Pid& p) const { return pid_name(p.instance); }
        std::string operator()(const FileHandle&) const { return "<file>"; }
        std::string operator()(const NoneValue&) const { return "None"; }
        std::string operator()(const List& l) const {
            std::string out = "[";
            for (size_t i = 0; i < l.size(); ++i) {
                if (i) out += ", ";
                const Value& e = l[i];
                if (e.is<std::string>()) out += "'" + e.as<std::string>() + "'";
                else out += std::visit(*this, e.v);
            }
            return out + "]";
        }
    };
    return std::visit(Visitor{pid_name}, value.v);
}

}  // namespace critsec::model
