#pragma once
// One mmap(MAP_SHARED | MAP_ANONYMOUS) region: made before the first fork, so every
// process of a run sees the same pages; unmapped exactly once.
#include <cstddef>

namespace critsec::runtime {

class SharedMapping {
public:
    SharedMapping() = default;
    explicit SharedMapping(size_t bytes);  // zero-filled; throws std::system_error
    SharedMapping(SharedMapping&& other) noexcept;
    SharedMapping& operator=(SharedMapping&& other) noexcept;
    SharedMapping(const SharedMapping&) = delete;
    SharedMapping& operator=(const SharedMapping&) = delete;
    ~SharedMapping();

    void* data() const { return data_; }
    size_t size() const { return size_; }

private:
    void unmap();
    void* data_ = nullptr;
    size_t size_ = 0;
};

}  // namespace critsec::runtime
