#pragma once
// Making races show: before every shared step a process may give up its CPU
// (sched_yield) or wait a short seeded random time, widening the windows
// between a load and its store the way a busy machine would.
#include <cstdint>
#include <optional>
#include <string>

#include "runtime/seeding.hpp"

namespace critsec::runtime {

enum class PerturbMode { None, Yield, Random };

std::optional<PerturbMode> parse_perturb_mode(const std::string& text);
const char* perturb_mode_name(PerturbMode mode);

class Perturber {
public:
    Perturber(PerturbMode mode, uint64_t seed) : mode_(mode), rng_(seed) {}
    void before_step() {
        if (mode_ != PerturbMode::None) perturb();
    }

private:
    void perturb();
    PerturbMode mode_;
    Rng rng_;
};

}  // namespace critsec::runtime
