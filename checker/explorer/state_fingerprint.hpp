#pragma once
// What tells two of the explorer's states apart, hashed into a fingerprint:
// every process (its pc, locals, globals, files, locks held by `with`, children
// started and joined), the monitors' memory (loop counts, loads and their stale
// flags), the shared cells, locks and files, main's prints and the watches'
// flags. Values a template's prints alone would read are left out when no
// `prints` watch looks at it, so that states differing only in them merge.
// Each process's own part is hashed once while states share it (its memo).
#include <cstdint>
#include <vector>

#include "checker/explorer/fingerprint.hpp"
#include "checker/explorer/machine.hpp"

namespace critsec::checker {

// How one machine hashes its states.
struct FingerprintRules {
    const PreparedProgram& prepared;
    const std::vector<char>& quiet_ok;  // by template index: its print-only locals do not tell states apart
    uint64_t memo_owner;                // the machine's id in the processes' memo (new_memo_owner())
};

Fingerprint state_fingerprint(const MachineState& state, const FingerprintRules& rules);

// A fresh owner id: each machine hashes with its own watches, so no two machines share one.
uint64_t new_memo_owner();

}  // namespace critsec::checker
