#include "model/typecode.hpp"

namespace critsec::model {

static const Typecode kTypecodes[] = {
    {'b', 8, true, "signed char"},
    {'B', 8, false, "unsigned char"},
    {'h', 16, true, "short"},
    {'H', 16, false, "unsigned short"},
    {'i', 32, true, "int"},
    {'I', 32, false, "unsigned int"},
    // 64-bit unsigned codes (L, Q) are left out: their values do not fit the model's int64.
    {'l', 64, true, "long"},
    {'q', 64, true, "long long"},
};

std::optional<Typecode> find_typecode(char code) {
    for (const auto& t : kTypecodes)
        if (t.code == code) return t;
    return std::nullopt;
}

std::string known_typecodes() {
    std::string out;
    for (const auto& t : kTypecodes) {
        if (!out.empty()) out += ' ';
        out += t.code;
    }
    return out;
}

int64_t Typecode::min() const {
    if (!is_signed) return 0;
    return bits == 64 ? INT64_MIN : -(int64_t{1} << (bits - 1));
}

int64_t Typecode::max() const {
    if (bits == 64) return INT64_MAX;
    return is_signed ? (int64_t{1} << (bits - 1)) - 1 : (int64_t{1} << bits) - 1;
}

int64_t Typecode::wrap(int64_t value) const {
    if (bits == 64) return value;
    uint64_t mask = (uint64_t{1} << bits) - 1;
    uint64_t raw = static_cast<uint64_t>(value) & mask;
    if (is_signed && (raw >> (bits - 1)) != 0) return static_cast<int64_t>(raw | ~mask);
    return static_cast<int64_t>(raw);
}

}  // namespace critsec::model
