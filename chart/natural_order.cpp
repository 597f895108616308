#include "chart/natural_order.hpp"

#include <cctype>

namespace critsec::chart {
namespace {

bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// A number starts at a digit, or at a '-' before a digit that does not follow a
// letter or a digit (`x-1` is a name and a number; `= -1` is a negative number).
bool number_at(const std::string& s, size_t i) {
    if (digit(s[i])) return true;
    bool after_word = i > 0 && (std::isalnum(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '_');
    return s[i] == '-' && i + 1 < s.size() && digit(s[i + 1]) && !after_word;
}

// The number at `i` (any length: compared by sign, then digit count, then digits); advances `i`.
struct Number {
    bool negative = false;
    std::string digits;  // no leading zeros
};

Number read_number(const std::string& s, size_t& i) {
    Number n;
    if (s[i] == '-') {
        n.negative = true;
        ++i;
    }
    while (i < s.size() && s[i] == '0' && i + 1 < s.size() && digit(s[i + 1])) ++i;
    while (i < s.size() && digit(s[i])) n.digits += s[i++];
    if (n.digits == "0") n.negative = false;
    return n;
}

int compare(const Number& a, const Number& b) {
    if (a.negative != b.negative) return a.negative ? -1 : 1;
    int magnitude = a.digits.size() != b.digits.size() ? (a.digits.size() < b.digits.size() ? -1 : 1) : a.digits.compare(b.digits);
    magnitude = magnitude < 0 ? -1 : magnitude > 0 ? 1 : 0;
    return a.negative ? -magnitude : magnitude;
}

}  // namespace

bool natural_less(const std::string& a, const std::string& b) {
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        bool na = number_at(a, i), nb = number_at(b, j);
        if (na && nb) {
            int c = compare(read_number(a, i), read_number(b, j));
            if (c != 0) return c < 0;
            continue;
        }
        if (na != nb) return na;  // a number before any other character
        if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
        ++i;
        ++j;
    }
    if ((a.size() - i) != (b.size() - j)) return a.size() - i < b.size() - j;
    return a < b;  // equal as numbers (`01` and `1`): still a strict order
}

}  // namespace critsec::chart
