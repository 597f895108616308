#include "runtime/turn_schedule.hpp"

#include <map>
#include <memory>
#include <new>
#include <stdexcept>
#include <utility>

#include "runtime/futex.hpp"

namespace critsec::runtime {

namespace {
// A sleeping child looks again this often even without a wake-up: a lost wake
// can delay a replay, never hang it.
constexpr double kRecheckSeconds = 0.2;
}  // namespace

TurnSchedule::TurnSchedule(ReplaySchedule schedule, int instances)
    : schedule_(std::move(schedule)), instances_(instances), mapping_(sizeof(std::atomic<uint32_t>) * static_cast<size_t>(instances + 1)) {
    if (instances < 1) throw std::invalid_argument("a turn schedule needs at least main");
    for (int i : schedule_.turns)
        if (i < 0 || i >= instances) throw std::invalid_argument("a turn names an instance the run does not have");
    auto* words = static_cast<std::atomic<uint32_t>*>(mapping_.data());
    for (int k = 0; k <= instances; ++k) new (&words[k]) std::atomic<uint32_t>(0);
}

std::atomic<uint32_t>& TurnSchedule::turn() const { return static_cast<std::atomic<uint32_t>*>(mapping_.data())[0]; }

std::atomic<uint32_t>& TurnSchedule::wake(int instance) const { return static_cast<std::atomic<uint32_t>*>(mapping_.data())[1 + instance]; }

void TurnSchedule::reset() const {
    turn().store(0);
    for (int i = 0; i < instances_; ++i) wake(i).store(0);
}

size_t TurnSchedule::taken() const { return turn().load(); }

bool TurnSchedule::await(int instance, bool wait) const {
    for (;;) {
        // Read the wake word before the turn: a pass in between changes the word,
        // so the futex wait below returns at once instead of missing it.
        uint32_t seen = wake(instance).load();
        size_t t = turn().load();
        if (t >= schedule_.turns.size() || schedule_.turns[t] == instance) return true;
        if (!wait) return false;
        futex_wait(wake(instance), seen, kRecheckSeconds);
    }
}

void TurnSchedule::pass(int instance) const {
    size_t t = turn().load();
    if (t >= schedule_.turns.size()) return;     // free running
    if (schedule_.turns[t] != instance) return;  // not a scheduled step: never happens after await()
    turn().store(static_cast<uint32_t>(t + 1));
    if (t + 1 < schedule_.turns.size()) {
        int next = schedule_.turns[t + 1];
        wake(next).fetch_add(1);
        futex_wake_all(wake(next));
        return;
    }
    for (int i = 0; i < instances_; ++i) {  // the schedule is over: everybody runs freely
        wake(i).fetch_add(1);
        futex_wake_all(wake(i));
    }
}

model::DrawSource TurnSchedule::draws() const {
    auto values = std::make_shared<std::map<std::pair<int, int>, int64_t>>();
    for (const auto& d : schedule_.draws) values->emplace(std::make_pair(d.instance, d.index), d.value);
    return [values](int instance, int index, int64_t low, int64_t high) {
        auto it = values->find({instance, index});
        return it == values->end() ? low : it->second;
    };
}

}  // namespace critsec::runtime
