#pragma once
// Every random choice of a run comes from its seed: randint() draws (so a run
// can be repeated from its seed) and the perturbation delays.
#include <cstdint>

namespace critsec::runtime {

inline uint64_t splitmix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// The seed of run `index` of a `critsec run --seed seed`.
inline uint64_t run_seed(uint64_t seed, uint64_t index) { return splitmix64(seed ^ splitmix64(index + 1)); }

// randint(low, high) number `draw` of process `instance` in a run: a pure function,
// so the same run seed gives the same inputs whatever the interleaving.
inline int64_t seeded_draw(uint64_t run_seed, int instance, int draw, int64_t low, int64_t high) {
    uint64_t r = splitmix64(run_seed ^ splitmix64((static_cast<uint64_t>(instance) << 32) ^ static_cast<uint32_t>(draw)));
    uint64_t span = static_cast<uint64_t>(high) - static_cast<uint64_t>(low) + 1;
    if (span == 0) return static_cast<int64_t>(r);  // the whole 64-bit range
    return low + static_cast<int64_t>(r % span);
}

// A small generator for per-process perturbation.
class Rng {
public:
    explicit Rng(uint64_t seed = 1) : state_(splitmix64(seed) | 1) {}
    uint64_t next() {
        state_ ^= state_ << 13;
        state_ ^= state_ >> 7;
        state_ ^= state_ << 17;
        return state_;
    }
    uint32_t below(uint32_t n) { return static_cast<uint32_t>(next() % n); }

private:
    uint64_t state_;
};

}  // namespace critsec::runtime
