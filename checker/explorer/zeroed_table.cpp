#include "checker/explorer/zeroed_table.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <new>
#include <utility>

namespace critsec::checker {
namespace {
constexpr size_t kHugePage = size_t{2} << 20;
}

ZeroedTable::ZeroedTable(size_t bytes) : bytes_(bytes) {
    if (bytes == 0) return;
    // One huge page more than asked, so that the table can start on a huge-page boundary.
    mapped_ = bytes + kHugePage;
    mapping_ = mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping_ == MAP_FAILED) {
        mapping_ = nullptr;
        throw std::bad_alloc();
    }
    auto start = (reinterpret_cast<uintptr_t>(mapping_) + kHugePage - 1) & ~(kHugePage - 1);
    data_ = reinterpret_cast<void*>(start);
    // Only advice: where the kernel keeps 4 KiB pages the table works the same, slower.
    if (bytes >= kHugePage) madvise(data_, bytes, MADV_HUGEPAGE);
}

ZeroedTable::~ZeroedTable() { release(); }

ZeroedTable::ZeroedTable(ZeroedTable&& other) noexcept
    : mapping_(std::exchange(other.mapping_, nullptr)),
      mapped_(std::exchange(other.mapped_, 0)),
      data_(std::exchange(other.data_, nullptr)),
      bytes_(std::exchange(other.bytes_, 0)) {}

ZeroedTable& ZeroedTable::operator=(ZeroedTable&& other) noexcept {
    if (this != &other) {
        release();
        mapping_ = std::exchange(other.mapping_, nullptr);
        mapped_ = std::exchange(other.mapped_, 0);
        data_ = std::exchange(other.data_, nullptr);
        bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
}

void ZeroedTable::release() {
    if (mapping_) munmap(mapping_, mapped_);
    mapping_ = nullptr;
    data_ = nullptr;
}

}  // namespace critsec::checker
