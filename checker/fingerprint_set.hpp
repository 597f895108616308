#pragma once
// A set of state fingerprints in one open-addressed table: no allocation per
// state, which a node-based set pays on every insert of a search that mostly
// meets states it has seen.
#include <cstddef>
#include <vector>

#include "checker/machine.hpp"

namespace critsec::checker {

class FingerprintSet {
public:
    // True when `f` was not in the set yet.
    bool insert(Fingerprint f) {
        if (f[0] == 0 && f[1] == 0) f[1] = 1;  // all-zero marks an empty slot
        if ((count_ + 1) * 4 > slots_.size() * 3) grow();
        size_t mask = slots_.size() - 1;
        for (size_t i = slot_of(f) & mask;; i = (i + 1) & mask) {
            if (slots_[i] == f) return false;
            if (slots_[i][0] == 0 && slots_[i][1] == 0) {
                slots_[i] = f;
                ++count_;
                return true;
            }
        }
    }
    size_t size() const { return count_; }

private:
    static size_t slot_of(const Fingerprint& f) { return f[0] ^ (f[1] >> 7); }
    void grow() {
        std::vector<Fingerprint> old = std::move(slots_);
        slots_.assign(old.empty() ? 1024 : old.size() * 2, Fingerprint{0, 0});
        count_ = 0;
        for (const auto& f : old)
            if (f[0] != 0 || f[1] != 0) insert(f);
    }

    std::vector<Fingerprint> slots_;
    size_t count_ = 0;
};

}  // namespace critsec::checker
