#pragma once
// A state's fingerprint: 128 bits, two independent 64-bit hashes fed word by
// word. Searches keep fingerprints, not states, to know where they have been
// (fingerprint_set.hpp); the explorer's states are hashed in
// state_fingerprint.hpp, the compiled search's in its own room.
#include <array>
#include <cstdint>

namespace critsec::checker {

using Fingerprint = std::array<uint64_t, 2>;

class WordHasher {
public:
    void put(int64_t v) {
        uint64_t w = static_cast<uint64_t>(v);
        a_ = (a_ ^ w) * 0x100000001b3ull;
        a_ ^= a_ >> 29;
        b_ = (b_ ^ (w * 0x9e3779b97f4a7c15ull)) * 0xbf58476d1ce4e5b9ull;
        b_ = (b_ << 27) | (b_ >> 37);
    }
    Fingerprint finish() const {
        uint64_t a = a_ ^ (a_ >> 33), b = b_ ^ (b_ >> 31);
        a *= 0xff51afd7ed558ccdull;
        b *= 0xc4ceb9fe1a85ec53ull;
        return {a ^ (a >> 33), b ^ (b >> 29)};
    }

private:
    uint64_t a_ = 0xcbf29ce484222325ull, b_ = 0x6a09e667f3bcc909ull;
};

}  // namespace critsec::checker
