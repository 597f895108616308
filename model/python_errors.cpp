#include "model/python_errors.hpp"

#include <fmt/format.h>

#include <cmath>

namespace critsec::model::errors {

std::string integer_expected() { return "TypeError: an integer was expected"; }
std::string unbound_variable() { return "UnboundLocalError: a variable was read before it was assigned"; }
std::string integer_overflow() { return "OverflowError: integer result beyond 64 bits"; }
std::string string_too_long() { return "MemoryError: string too long"; }
std::string list_too_long() { return "MemoryError: list too long"; }
std::string out_of_memory() { return "MemoryError"; }
std::string string_operand_types() { return "TypeError: unsupported operand types for a string"; }
std::string division_by_zero() { return "ZeroDivisionError: division by zero"; }
std::string float_floor_division_by_zero() { return "ZeroDivisionError: float floor division by zero"; }
std::string float_modulo_by_zero() { return "ZeroDivisionError: float modulo"; }
std::string integer_division_by_zero() { return "ZeroDivisionError: integer division or modulo by zero"; }
std::string no_len() { return "TypeError: object has no len()"; }
std::string list_index_out_of_range() { return "IndexError: list index out of range"; }

std::string float_to_int_overflow() { return "OverflowError: cannot convert float to integer"; }
std::string int_argument_type() { return "TypeError: int() argument must be a string or a number"; }

std::string invalid_int_literal(std::string_view text) {
    std::string shown;
    for (char ch : text) {
        if (ch == '\0') shown += "\\x00";
        else if (ch == '\n') shown += "\\n";
        else if (ch == '\'') shown += "\\'";
        else shown += ch;
    }
    return fmt::format("ValueError: invalid literal for int() with base 10: '{}'", shown);
}

std::string int_literal_overflow() { return "OverflowError: integer beyond 64 bits"; }

std::string cell_index_out_of_range(int64_t index, std::string_view object, int64_t length) {
    return fmt::format("IndexError: index {} out of range for {} of length {}", index, object, length);
}
std::string lock_released_too_many_times() { return "ValueError: semaphore or lock released too many times"; }
std::string rlock_not_owned() { return "AssertionError: attempt to release recursive lock not owned by thread"; }
std::string release_held_by_other(std::string_view lock) {
    return fmt::format("RuntimeError: release of {}, which another process holds", lock);
}
// CPython's own words (Modules/_multiprocessing/semaphore.c).
std::string semaphore_released_too_many_times() { return "ValueError: semaphore or lock released too many times"; }

std::string file_not_found(std::string_view file_name) {
    return fmt::format("FileNotFoundError: [Errno 2] No such file or directory: '{}'", file_name);
}
std::string closed_file() { return "ValueError: I/O operation on closed file."; }
std::string not_readable() { return "io.UnsupportedOperation: not readable"; }
std::string not_writable() { return "io.UnsupportedOperation: not writable"; }
std::string write_argument_type() { return "TypeError: write() argument must be str"; }
std::string negative_seek(int64_t offset) { return fmt::format("ValueError: negative seek position {}", offset); }
std::string file_cap_exceeded(std::string_view file_name, int64_t cap) {
    return fmt::format("file {} would exceed the {}-byte cap", file_name, cap);
}
std::string os_error(int error_number, std::string_view description, std::string_view call) {
    return fmt::format("OSError: [Errno {}] {} ({})", error_number, description, call);
}

std::string assertion_failed(std::string_view message) {
    return message.empty() ? std::string("AssertionError") : fmt::format("AssertionError: {}", message);
}
bool is_assertion_failure(std::string_view error) { return error.starts_with("AssertionError"); }
std::string start_twice() { return "AssertionError: cannot start a process twice"; }
std::string join_unstarted() { return "AssertionError: can only join a started process"; }
std::string signal_unstarted(const char* method) { return fmt::format("AttributeError: 'NoneType' object has no attribute '{}'", method); }
std::string none_operand() { return "TypeError: unsupported operand type(s): 'NoneType' and 'int'"; }
std::string daemon_after_start() { return "AssertionError: process has already started"; }
std::string negative_sleep() { return "ValueError: sleep length must be non-negative"; }
std::string sleep_int_too_large() { return "OverflowError: timestamp too large to convert to C _PyTime_t"; }
std::string sleep_float_too_large() { return "OverflowError: timestamp out of range for platform time_t"; }

std::optional<std::string> sleep_error(double seconds) {
    if (std::isnan(seconds)) return "ValueError: Invalid value NaN (not a number)";
    if (!(std::fabs(seconds) < 9223372036.854775807)) return sleep_float_too_large();
    if (seconds < 0) return negative_sleep();
    return std::nullopt;
}

std::optional<std::string> sleep_error(int64_t seconds) {
    if (seconds > kMaxSleepSeconds || seconds < -kMaxSleepSeconds) return sleep_int_too_large();
    if (seconds < 0) return negative_sleep();
    return std::nullopt;
}
std::string empty_randint_range(int64_t low, int64_t high) { return fmt::format("ValueError: empty range in randint({}, {})", low, high); }
std::string local_loop_without_step() { return "a loop ran 10,000,000 local iterations without a shared step"; }

}  // namespace critsec::model::errors
