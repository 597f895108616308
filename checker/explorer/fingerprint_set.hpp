#pragma once
// A set of state fingerprints in one open-addressed table: no allocation per
// state, which a node-based set pays on every insert of a search that mostly
// meets states it has seen.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "checker/explorer/fingerprint.hpp"
#include "checker/explorer/zeroed_table.hpp"

namespace critsec::checker {

class FingerprintSet {
public:
    // True when `f` was not in the set yet.
    bool insert(Fingerprint f) {
        if (f[0] == 0 && f[1] == 0) f[1] = 1;  // all-zero marks an empty slot
        if ((count_ + 1) * 4 > capacity_ * 3) grow();
        size_t mask = capacity_ - 1;
        for (size_t i = slot_of(f) & mask;; i = (i + 1) & mask) {
            Fingerprint& slot = slots()[i];
            if (slot[0] == f[0] && slot[1] == f[1]) return false;
            if (slot[0] == 0 && slot[1] == 0) {
                slot = f;
                ++count_;
                return true;
            }
        }
    }
    bool contains(Fingerprint f) const {
        if (f[0] == 0 && f[1] == 0) f[1] = 1;
        if (capacity_ == 0) return false;
        size_t mask = capacity_ - 1;
        for (size_t i = slot_of(f) & mask;; i = (i + 1) & mask) {
            const Fingerprint& slot = slots()[i];
            if (slot[0] == f[0] && slot[1] == f[1]) return true;
            if (slot[0] == 0 && slot[1] == 0) return false;
        }
    }
    // A search that knows a few of its next inserts can have their slots
    // fetched meanwhile: on a table far beyond the caches, each insert is
    // otherwise a wait on memory.
    void prefetch(const Fingerprint& f) const {
        if (capacity_ != 0) __builtin_prefetch(&slots()[slot_of(f) & (capacity_ - 1)]);
    }
    size_t size() const { return count_; }

private:
    static size_t slot_of(const Fingerprint& f) { return f[0] ^ (f[1] >> 7); }
    Fingerprint* slots() const { return static_cast<Fingerprint*>(table_.data()); }
    void grow() {
        ZeroedTable old = std::move(table_);
        size_t old_capacity = capacity_;
        capacity_ = old_capacity == 0 ? 1024 : old_capacity * 2;
        table_ = ZeroedTable(capacity_ * sizeof(Fingerprint));
        count_ = 0;
        const auto* from = static_cast<const Fingerprint*>(old.data());
        for (size_t i = 0; i < old_capacity; ++i)
            if (from[i][0] != 0 || from[i][1] != 0) insert(from[i]);
    }

    ZeroedTable table_;  // capacity_ slots, all-zero when empty
    size_t capacity_ = 0;
    size_t count_ = 0;
};

}  // namespace critsec::checker
