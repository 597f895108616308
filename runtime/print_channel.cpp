#include "runtime/print_channel.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "runtime/futex.hpp"

namespace critsec::runtime {

namespace {

// As much as a pipe holds: a run that prints faster than the supervisor drains
// waits for it at the same point as before.
constexpr uint64_t kCapacity = 64 * 1024;
constexpr size_t kHeaderBytes = 4096;

struct RingHeader {
    alignas(64) std::atomic<uint64_t> written;   // bytes written since the run began
    alignas(64) std::atomic<uint64_t> consumed;  // bytes the supervisor has drained
    std::atomic<uint32_t> room;                  // bumped by each drain that made room: the writers' futex
    std::atomic<uint32_t> waiting;               // writers waiting for room
    std::atomic<uint32_t> wakes;                 // writes to the eventfd, each counted after it
};
static_assert(sizeof(RingHeader) <= kHeaderBytes);

// A record at an 8-byte aligned position `at` of the byte stream (the ring repeats
// it every kCapacity bytes). `complete` is written last: `at + 1` once the rest is in.
// A stale record of an earlier lap at the same place cannot pass for it (its `at`
// differs), nor can stale text, since drained bytes are zeroed.
struct RecordHeader {
    uint64_t complete;
    uint64_t seq;
    int32_t instance;
    uint32_t length;
};
constexpr uint64_t record_bytes(size_t length) { return (sizeof(RecordHeader) + length + 7) / 8 * 8; }
static_assert(kCapacity % 8 == 0 && record_bytes(PrintChannel::kMaxText) <= kCapacity);

RingHeader& header_of(const SharedMapping& m) { return *static_cast<RingHeader*>(m.data()); }
char* ring_of(const SharedMapping& m) { return static_cast<char*>(m.data()) + kHeaderBytes; }

std::atomic_ref<uint64_t> complete_word(char* ring, uint64_t at) {
    return std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t*>(ring + at % kCapacity));
}

// The stream's bytes [at, at + n) from or to a flat buffer, across the ring's end.
void copy_in(char* ring, uint64_t at, const void* from, size_t n) {
    size_t offset = at % kCapacity, first = std::min<size_t>(n, kCapacity - offset);
    std::memcpy(ring + offset, from, first);
    std::memcpy(ring, static_cast<const char*>(from) + first, n - first);
}
void copy_out(const char* ring, uint64_t at, void* to, size_t n) {
    size_t offset = at % kCapacity, first = std::min<size_t>(n, kCapacity - offset);
    std::memcpy(to, ring + offset, first);
    std::memcpy(static_cast<char*>(to) + first, ring, n - first);
}
void zero(char* ring, uint64_t at, uint64_t n) {
    if (n >= kCapacity) {
        std::memset(ring, 0, kCapacity);
        return;
    }
    size_t offset = at % kCapacity, first = std::min<size_t>(n, kCapacity - offset);
    std::memset(ring + offset, 0, first);
    std::memset(ring, 0, n - first);
}

}  // namespace

PrintChannel::PrintChannel() : shared_(kHeaderBytes + kCapacity) {
    int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    wake_.reset(fd);
}

bool PrintChannel::try_send(uint64_t seq, int instance, const std::string& text) const {
    RingHeader& h = header_of(shared_);
    char* ring = ring_of(shared_);
    RecordHeader r{0, seq, instance, static_cast<uint32_t>(std::min(text.size(), kMaxText))};
    uint64_t n = record_bytes(r.length);
    uint64_t at = h.written.load(std::memory_order_relaxed);  // one writer at a time
    if (at + n > h.consumed.load(std::memory_order_acquire) + kCapacity) return false;
    copy_in(ring, at + sizeof r.complete, &r.seq, sizeof r - sizeof r.complete);
    copy_in(ring, at + sizeof r, text.data(), r.length);
    h.written.store(at + n, std::memory_order_relaxed);
    complete_word(ring, at).store(at + 1, std::memory_order_release);
    return true;
}

void PrintChannel::wait_for_room() const {
    RingHeader& h = header_of(shared_);
    h.waiting.fetch_add(1);
    uint32_t seen = h.room.load();
    uint64_t one = 1;
    [[maybe_unused]] ssize_t w = ::write(wake_.get(), &one, sizeof one);
    h.wakes.fetch_add(1);  // after the write: a reader that sees it clears the write too
    futex_wait(h.room, seen, 0.01);
    h.waiting.fetch_sub(1);
}

void PrintChannel::send(uint64_t seq, int instance, const std::string& text) const {
    while (!try_send(seq, instance, text)) wait_for_room();
}

void PrintChannel::take_wakes() {
    uint32_t wakes = header_of(shared_).wakes.load();
    if (wakes == wakes_seen_) return;
    uint64_t count;
    [[maybe_unused]] ssize_t r = ::read(wake_.get(), &count, sizeof count);
    wakes_seen_ = wakes;
}

void PrintChannel::drain(std::vector<PrintRecord>& out) {
    RingHeader& h = header_of(shared_);
    char* ring = ring_of(shared_);
    take_wakes();
    uint64_t at = h.consumed.load(std::memory_order_relaxed);  // only the supervisor moves it
    bool drained = false;
    while (complete_word(ring, at).load(std::memory_order_acquire) == at + 1) {
        RecordHeader r;
        copy_out(ring, at, &r, sizeof r);
        std::string text(r.length, '\0');
        copy_out(ring, at + sizeof r, text.data(), r.length);
        out.push_back(PrintRecord{r.seq, r.instance, std::move(text)});
        uint64_t n = record_bytes(r.length);
        zero(ring, at, n);
        at += n;
        h.consumed.store(at, std::memory_order_release);
        drained = true;
    }
    if (drained && h.waiting.load() != 0) {
        h.room.fetch_add(1);
        futex_wake_all(h.room);
    }
}

void PrintChannel::discard_partial() {
    RingHeader& h = header_of(shared_);
    uint64_t consumed = h.consumed.load();
    // A writer killed mid-record (the run stopped) left bytes past `written`, the
    // record's whole length at most: zeroed with the rest.
    zero(ring_of(shared_), consumed, h.written.load() - consumed + record_bytes(kMaxText));
    h.written.store(0);
    h.consumed.store(0);
    take_wakes();
}

}  // namespace critsec::runtime
