#pragma once
// main's randint draws taken from a seed (`--seed` of outcomes and explore):
// each draw a function of the seed and the draw's index alone, so that every
// path of a search sees the same inputs, and the commands given one seed agree.
#include <cstdint>
#include <functional>

namespace critsec::checker {

// For DrawPolicy::main_choice: (index, low, high) -> the draw.
std::function<int64_t(int, int64_t, int64_t)> seeded_main_choice(uint64_t seed);

}  // namespace critsec::checker
