#pragma once
// C typecodes as multiprocessing's Value and Array know them: each one's width,
// signedness and range as plain data, and the wrap-around a ctypes store does
// to an int outside that range. The concrete semantics wraps every store with
// it; a symbolic engine reads the same bits, min() and max() to build its terms.
#include <cstdint>
#include <optional>
#include <string>

namespace critsec::model {

struct Typecode {
    char code;
    int bits;
    bool is_signed;
    const char* c_type;
    int64_t min() const;
    int64_t max() const;
    // Two's complement wrap-around, as ctypes stores an out-of-range int.
    int64_t wrap(int64_t value) const;
};

std::optional<Typecode> find_typecode(char code);
std::string known_typecodes();  // for diagnostics: "b B h H i I l q"

}  // namespace critsec::model
