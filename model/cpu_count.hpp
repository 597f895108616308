#pragma once
// cpu_count() as a spec sees it on this machine: the number of online CPUs,
// which is what CPython's os.cpu_count() (and so multiprocessing.cpu_count())
// answers on Linux. The runtime's world answers with it; the model does not
// ask it: an in-memory world is given its count, and the checker and compare
// give it this one, so that a prediction is for the machine `critsec run` uses.
#include <cstdint>

namespace critsec::model {

int64_t machine_cpu_count();

}  // namespace critsec::model
