#pragma once
// Every error text a step can end a process with, written once. The concrete
// semantics, both Worlds and the symbolic engines all report a failure in these
// words, so a failure predicted by one back end reads the same as the failure
// another one observes (a witness replayed, a run compared with its prediction).
// Each text is `Kind: detail` as Python prints an exception, except the two
// caps of untrusted specs (a file's size, a loop's fuel), which Python lacks,
// and MemoryError, which Python raises when memory runs out and the model at
// its size caps (value_sizes.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace critsec::model::errors {

// ---- values and arithmetic ----
std::string integer_expected();              // an int operand (or index) of another type
std::string unbound_variable();              // a local read before its first assignment
std::string integer_overflow();              // an int result beyond 64 bits
std::string string_too_long();               // a string past kMaxStringBytes (value_sizes.hpp)
std::string list_too_long();                 // a list past kMaxListItems or kMaxListBytes
std::string out_of_memory();                 // a run's process past its memory limit (run --max-memory)
std::string string_operand_types();          // str with an operator other than + and *
std::string division_by_zero();              // `/` by zero
std::string float_floor_division_by_zero();  // `//` by zero with a float operand
std::string float_modulo_by_zero();          // `%` by zero with a float operand
std::string integer_division_by_zero();      // `//` or `%` of ints by zero
std::string no_len();                        // len() of what has none
std::string list_index_out_of_range();       // a local list's subscript

// ---- int() ----
std::string float_to_int_overflow();                     // int() of inf, nan or a float beyond 64 bits
std::string int_argument_type();                         // int() of what is neither a string nor a number
std::string invalid_int_literal(std::string_view text);  // shows `text` as Python's repr() does
std::string int_literal_overflow();                      // int() of a string beyond 64 bits

// ---- shared objects ----
// An Array's (or Value's) cell; `index` as the spec wrote it (negative if it was).
std::string cell_index_out_of_range(int64_t index, std::string_view object, int64_t length);
// CPython's multiprocessing: a free Lock released (its semaphore past 1), and an RLock
// released by a process that does not hold it.
std::string lock_released_too_many_times();
std::string rlock_not_owned();
std::string release_held_by_other(std::string_view lock);  // a release of a lock another process holds
std::string semaphore_released_too_many_times();           // a release past the semaphore's maximum

// ---- files ----
std::string file_not_found(std::string_view file_name);  // open() for r or r+ of a missing file
std::string closed_file();                               // any step on a closed handle
std::string not_readable();                              // read()/readline() of a w or a handle
std::string not_writable();                              // write() to an r handle
std::string write_argument_type();                       // write() of what is not a str
std::string negative_seek(int64_t offset);
std::string file_cap_exceeded(std::string_view file_name, int64_t cap);  // not Python's: the spec's cap
// A system call that failed in the runtime: errno, its description (strerror) and the call.
std::string os_error(int error_number, std::string_view description, std::string_view call);

// ---- processes and the rest ----
std::string assertion_failed(std::string_view message);  // `AssertionError` alone when message is ""
bool is_assertion_failure(std::string_view error);       // whether an error is an assert's
std::string start_twice();
std::string join_unstarted();
// p.terminate() / p.kill() before p.start(): CPython's Popen is still None.
std::string signal_unstarted(const char* method);
std::string daemon_after_start();
// None (an exit code while the process runs, a pid before its start) in arithmetic or an order comparison.
std::string none_operand();
std::string negative_sleep();
// time.sleep's checks in CPython's order: the length must fit in 2**63 nanoseconds
// (OverflowError, even when negative), must not be NaN, then must be non-negative.
inline constexpr int64_t kMaxSleepSeconds = 9'223'372'036;
std::optional<std::string> sleep_error(double seconds);
std::optional<std::string> sleep_error(int64_t seconds);
std::string sleep_int_too_large();    // an int length past kMaxSleepSeconds
std::string sleep_float_too_large();  // a float length past 2**63 ns, or an infinity
std::string empty_randint_range(int64_t low, int64_t high);
std::string local_loop_without_step();  // not Python's: 10,000,000 local iterations in a row

}  // namespace critsec::model::errors
