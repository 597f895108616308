#pragma once
// A value during symbolic execution: a Z3 term (an Int or a Bool) or a concrete
// Python value (a string, a float, a list, a process, a pid, a file handle), and
// an Opaque value: a string or float computed from symbolic terms, whose only
// modelled use is to be printed. Both symbolic engines (encoder.hpp,
// transition_system.hpp) compute with these, through symbolic_eval.hpp.
#include <z3++.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace critsec::checker {

// Something in the spec an engine does not cover: the engine answers UNKNOWN
// (or declines) with this reason.
struct NotEncoded : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct SymbolicValue {
    enum class K { Unset, Int, Bool, Str, Float, Opaque, List, Proc, Pid, File } k = K::Unset;
    std::optional<z3::expr> e;         // Int, Bool
    std::string s;                     // Str
    double f = 0;                      // Float
    int ref = 0;                       // Proc, Pid: instance; File: open index
    std::vector<SymbolicValue> items;  // List

    static SymbolicValue integer(const z3::expr& x);
    static SymbolicValue boolean(const z3::expr& x);
    static SymbolicValue str(std::string text);
    static SymbolicValue real(double d);
    static SymbolicValue opaque();
    static SymbolicValue list(std::vector<SymbolicValue> items = {});
    static SymbolicValue process(int instance);
    static SymbolicValue pid(int instance);
    static SymbolicValue file(int open_index);
};

// A Python failure that happens where `cond` holds: the text is one of
// model/python_errors.hpp's.
struct ErrorCase {
    z3::expr cond;
    std::string message;
};

// The term as a 64-bit numeral, when it simplifies to one.
bool numeral(const z3::expr& e, int64_t& out);
// 1 true, 0 false, -1 symbolic.
int truth(const z3::expr& e);

}  // namespace critsec::checker
