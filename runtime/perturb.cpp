#include "runtime/perturb.hpp"

#include <sched.h>
#include <time.h>

namespace critsec::runtime {

std::optional<PerturbMode> parse_perturb_mode(const std::string& text) {
    if (text == "none") return PerturbMode::None;
    if (text == "yield") return PerturbMode::Yield;
    if (text == "random") return PerturbMode::Random;
    return std::nullopt;
}

const char* perturb_mode_name(PerturbMode mode) {
    switch (mode) {
        case PerturbMode::None: return "none";
        case PerturbMode::Yield: return "yield";
        case PerturbMode::Random: return "random";
    }
    return "?";
}

namespace {
uint64_t now_ns() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(ts.tv_nsec);
}
}  // namespace

void Perturber::perturb() {
    if (mode_ == PerturbMode::Yield) {
        sched_yield();
        return;
    }
    // Random: a quarter of the steps go straight on, a quarter yield, the rest
    // spin for up to 50 microseconds (a sleep would be rounded up to the timer slack).
    uint32_t choice = rng_.below(4);
    if (choice == 0) return;
    if (choice == 1) {
        sched_yield();
        return;
    }
    uint64_t until = now_ns() + rng_.below(50'000);
    while (now_ns() < until) {}
}

}  // namespace critsec::runtime
