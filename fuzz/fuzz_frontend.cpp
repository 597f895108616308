// libFuzzer target over the whole front end: any bytes must give either a model
// or diagnostics, never a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/exercise_frontend.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    critsec::fuzz::exercise_frontend(std::string(reinterpret_cast<const char*>(data), size));
    return 0;
}
