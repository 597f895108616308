#include "checker/symbolic/symbolic_value.hpp"

namespace critsec::checker {

SymbolicValue SymbolicValue::integer(const z3::expr& x) {
    SymbolicValue v;
    v.k = K::Int;
    v.e = x;
    return v;
}
SymbolicValue SymbolicValue::boolean(const z3::expr& x) {
    SymbolicValue v;
    v.k = K::Bool;
    v.e = x;
    return v;
}
SymbolicValue SymbolicValue::str(std::string text) {
    SymbolicValue v;
    v.k = K::Str;
    v.s = std::move(text);
    return v;
}
SymbolicValue SymbolicValue::real(double d) {
    SymbolicValue v;
    v.k = K::Float;
    v.f = d;
    return v;
}
SymbolicValue SymbolicValue::opaque() {
    SymbolicValue v;
    v.k = K::Opaque;
    return v;
}
SymbolicValue SymbolicValue::list(std::vector<SymbolicValue> items) {
    SymbolicValue v;
    v.k = K::List;
    v.items = std::move(items);
    return v;
}
SymbolicValue SymbolicValue::process(int instance) {
    SymbolicValue v;
    v.k = K::Proc;
    v.ref = instance;
    return v;
}
SymbolicValue SymbolicValue::pid(int instance) {
    SymbolicValue v;
    v.k = K::Pid;
    v.ref = instance;
    return v;
}
SymbolicValue SymbolicValue::file(int open_index) {
    SymbolicValue v;
    v.k = K::File;
    v.ref = open_index;
    return v;
}

bool numeral(const z3::expr& e, int64_t& out) {
    z3::expr s = e.is_numeral() ? e : e.simplify();
    if (!s.is_numeral()) return false;
    try {
        out = s.get_numeral_int64();
        return true;
    } catch (const z3::exception&) {
        return false;
    }
}

int truth(const z3::expr& e) {
    z3::expr s = e.simplify();
    if (s.is_true()) return 1;
    if (s.is_false()) return 0;
    return -1;
}

}  // namespace critsec::checker
