#pragma once
// cpu_count() as a spec sees it, in predictions and in real runs alike: the
// number of online CPUs of this machine, which is what CPython's os.cpu_count()
// (and so multiprocessing.cpu_count()) answers on Linux.
#include <cstdint>

namespace critsec::model {

int64_t machine_cpu_count();

}  // namespace critsec::model
