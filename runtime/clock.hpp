#pragma once
// Monotonic seconds, for deadlines and timings (never for assertions in tests).
#include <time.h>

namespace critsec::runtime {

inline double monotonic_seconds() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace critsec::runtime
