#pragma once
// Every `print` of a run's children travels through one ring of shared memory,
// made before the first fork: a writer copies its record in and marks it complete;
// the supervisor drains complete records in order. No system call in the common
// case: the pipe this replaces cost every printed line a write(2), and the
// supervisor its reads (bench/RESULTS.md, issue 16).
// One writer at a time: the runtime writes under its step lock (OsWorld::print), so
// a process killed with that lock in main's hands is never half-way through a record.
// A writer that finds the ring full makes read_fd() readable, for a supervisor
// asleep in poll(2), and sleeps until the supervisor has drained.
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/shared_mapping.hpp"
#include "runtime/unique_fd.hpp"

namespace critsec::runtime {

struct PrintRecord {
    uint64_t seq;
    int instance;
    std::string text;
};

class PrintChannel {
public:
    // A text longer than this is cut (a printed line is capped well below it).
    static constexpr size_t kMaxText = 4080;

    PrintChannel();  // throws std::system_error

    // Writer side (any process of the run, one at a time): false, and nothing
    // written, when the ring has no room for the record now.
    bool try_send(uint64_t seq, int instance, const std::string& text) const;
    // Wakes the supervisor and sleeps until it has drained, or 10 ms.
    void wait_for_room() const;
    // try_send until it succeeds: for a writer that is alone.
    void send(uint64_t seq, int instance, const std::string& text) const;
    // Reader side: appends every complete record now in the ring.
    void drain(std::vector<PrintRecord>& out);
    int read_fd() const { return wake_.get(); }
    // Forgets records whose writer was killed mid-way (a run stopped), so the next
    // run starts empty. Only while no writer of the run is alive.
    void discard_partial();

private:
    void take_wakes();
    SharedMapping shared_;
    UniqueFd wake_;           // an eventfd
    uint32_t wakes_seen_ = 0;  // RingHeader::wakes when the eventfd was last read
};

}  // namespace critsec::runtime
