#pragma once
// What the names a Python program imports stand for in a spec: `os.getpid` is
// the spec's `pid`, `multiprocessing.Lock` its `Lock`; and what critsec does not
// model (a Queue, a Pool, threads), with what to do instead.
#include <optional>
#include <string>

namespace critsec::python {

// The spec's name for a qualified Python name ("multiprocessing.Value" -> "Value"),
// or nothing when critsec does not read it.
std::optional<std::string> spec_name(const std::string& qualified);

// Why a qualified name is not read, and the hint that goes with it.
struct NotModelled {
    std::string message;
    std::string hint;
};
NotModelled not_modelled(const std::string& qualified);

}  // namespace critsec::python
