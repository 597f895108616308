#include "model/value.hpp"

#include <charconv>
#include <cmath>

namespace critsec::model {

std::string python_float_repr(double d) {
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    std::string s(buf, end);
    // Python writes 5.0 where to_chars writes 5, and 1e+16 where it writes 1e+16.
    if (s.find_first_of(".en") == std::string::npos) s += ".0";
    return s;
}

}  // namespace critsec::model
