#pragma once
// Memory for a large table that a search probes at random: an anonymous
// mapping, zero-filled by the kernel as it is touched (nothing to clear), and
// advised into huge pages. Beyond the caches, a table in 4 KiB pages costs a
// TLB miss on nearly every probe, and a miss the CPU cannot prefetch past.
#include <cstddef>

namespace critsec::checker {

class ZeroedTable {
public:
    ZeroedTable() = default;
    explicit ZeroedTable(size_t bytes);  // throws std::bad_alloc when the mapping fails
    ~ZeroedTable();
    ZeroedTable(ZeroedTable&& other) noexcept;
    ZeroedTable& operator=(ZeroedTable&& other) noexcept;
    ZeroedTable(const ZeroedTable&) = delete;
    ZeroedTable& operator=(const ZeroedTable&) = delete;

    void* data() const { return data_; }
    size_t bytes() const { return bytes_; }

private:
    void release();
    void* mapping_ = nullptr;
    size_t mapped_ = 0;
    void* data_ = nullptr;
    size_t bytes_ = 0;
};

}  // namespace critsec::checker
