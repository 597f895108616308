// The size caps of one value (model/value_sizes.hpp): where each MemoryError
// starts, without overflow, and how a long printed line is cut.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include "model/python_errors.hpp"
#include "model/value_sizes.hpp"

using namespace critsec::model;

TEST_CASE("a string may hold kMaxStringBytes bytes, not one more") {
    CHECK_FALSE(string_size_error(kMaxStringBytes));
    CHECK(string_size_error(kMaxStringBytes + 1) == errors::string_too_long());
}

TEST_CASE("a repeated string is measured without overflowing, whatever the count") {
    CHECK_FALSE(repeated_string_size_error(2, kMaxStringBytes / 2));
    CHECK(repeated_string_size_error(2, kMaxStringBytes / 2 + 1) == errors::string_too_long());
    // 2**62 copies of 4 bytes is 2**64 bytes: a product that wraps to 0 would pass.
    CHECK(repeated_string_size_error(4, int64_t{1} << 62) == errors::string_too_long());
    CHECK(repeated_string_size_error(1, std::numeric_limits<int64_t>::max()) == errors::string_too_long());
    // Python: "ab" * -3 and "" * n are "".
    CHECK_FALSE(repeated_string_size_error(2, -3));
    CHECK_FALSE(repeated_string_size_error(0, std::numeric_limits<int64_t>::max()));
}

TEST_CASE("a list is capped by its items and by its bytes, strings and nested lists counted") {
    CHECK_FALSE(list_size_error(kMaxListItems, 0));
    CHECK(list_size_error(kMaxListItems + 1, 0) == errors::list_too_long());
    CHECK(list_size_error(1, kMaxListBytes + 1) == errors::list_too_long());
    CHECK(value_bytes(Value(int64_t{7})) == kListItemBytes);
    CHECK(value_bytes(Value(std::string(100, 'x'))) == 100);
    List inner{Value(std::string(10, 'a')), Value(int64_t{1})};
    List outer{Value(inner), Value(std::string(5, 'b'))};
    // outer: 8 + (8 + 10 + 8 + 8) for the inner list, 8 + 5 for the string.
    CHECK(value_bytes(Value(outer)) == 8 + (8 + 10 + 8 + 8) + 8 + 5);
}

TEST_CASE("a printed line is kept whole up to the cap, then cut with a mark that gives its length") {
    std::string short_line(kMaxPrintLineBytes, 'x');
    CHECK(printed_line(short_line) == short_line);
    std::string cut = printed_line(std::string(10000, 'y'));
    CHECK(cut.size() == kMaxPrintLineBytes);
    CHECK(cut.substr(cut.size() - 28) == " ... [line cut: 10000 bytes]");
    CHECK(cut.find_first_not_of('y') == kMaxPrintLineBytes - 28);
}

TEST_CASE("a cut line never ends inside a UTF-8 character") {
    // "a" then two-byte characters: every character starts at an odd byte, and
    // the cut's first choice (4,000 less the mark's 28) is even.
    std::string text = "a";
    while (text.size() < 10001) text += "ñ";  // a five-digit length: a 28-byte mark
    std::string cut = printed_line(text);
    std::string kept = cut.substr(0, cut.find(" ... [line cut:"));
    CHECK(kept.size() == kMaxPrintLineBytes - 28 - 1);
    CHECK(kept.substr(1).find_first_not_of("ñ") == std::string::npos);
}
