#include "checker/explorer/seeded_draws.hpp"

#include <random>

namespace critsec::checker {

std::function<int64_t(int, int64_t, int64_t)> seeded_main_choice(uint64_t seed) {
    return [seed](int index, int64_t lo, int64_t hi) {
        std::mt19937_64 g(seed * 1000003u + static_cast<uint64_t>(index));
        return std::uniform_int_distribution<int64_t>(lo, hi)(g);
    };
}

}  // namespace critsec::checker
