#include "model/cpu_count.hpp"

#include <unistd.h>

namespace critsec::model {

int64_t machine_cpu_count() {
    // Python raises NotImplementedError when the count is unknown; a spec is
    // better served by one CPU than by a failure it cannot catch.
    static const int64_t count = [] {
        long n = ::sysconf(_SC_NPROCESSORS_ONLN);
        return n > 0 ? static_cast<int64_t>(n) : int64_t{1};
    }();
    return count;
}

}  // namespace critsec::model
