#include "runtime/arena.hpp"

#include <cstring>
#include <new>
#include <stdexcept>

namespace critsec::runtime {

namespace {
size_t align_up(size_t n, size_t a) { return (n + a - 1) / a * a; }

template <class T>
int64_t load_as(const void* p) {
    return static_cast<int64_t>(__atomic_load_n(static_cast<const T*>(p), __ATOMIC_RELAXED));
}
template <class T>
void store_as(void* p, int64_t v) {
    __atomic_store_n(static_cast<T*>(p), static_cast<T>(v), __ATOMIC_RELAXED);
}
}  // namespace

Arena::Arena(const model::Program& program, int instances, int event_capacity, size_t state_bytes)
    : program_(program), instances_(instances), event_capacity_(event_capacity), state_bytes_(state_bytes) {
    using model::ObjectKind;
    size_t offset = align_up(sizeof(ArenaHeader), 64);
    size_t slots_at = offset;
    offset = align_up(offset + sizeof(InstanceSlot) * instances, 64);
    placement_.resize(program.objects.size());
    for (size_t i = 0; i < program.objects.size(); ++i) {
        const auto& obj = program.objects[i];
        Placement& p = placement_[i];
        switch (obj.kind) {
            case ObjectKind::Value:
            case ObjectKind::Array:
                p.width = obj.typecode.bits / 8;
                p.is_signed = obj.typecode.is_signed;
                offset = align_up(offset, 8);
                p.offset = offset;
                offset += static_cast<size_t>(p.width) * obj.initial.size();
                break;
            case ObjectKind::Lock:
                offset = align_up(offset, 64);
                p.offset = offset;
                offset += sizeof(SharedLock);
                break;
            case ObjectKind::Semaphore:
                offset = align_up(offset, 64);
                p.offset = offset;
                offset += sizeof(SharedSemaphore);
                break;
            case ObjectKind::File: break;
        }
    }
    offset = align_up(offset, 64);
    size_t events_at = offset;
    offset += sizeof(EventRecord) * static_cast<size_t>(event_capacity);
    size_t states_at = align_up(offset, 64);
    offset = states_at + state_bytes * static_cast<size_t>(instances);
    mapping_ = SharedMapping(align_up(offset, 4096));
    header_ = new (at(0)) ArenaHeader{};
    slots_ = static_cast<InstanceSlot*>(at(slots_at));
    for (int i = 0; i < instances; ++i) new (&slots_[i]) InstanceSlot{};
    events_ = static_cast<EventRecord*>(at(events_at));
    for (int i = 0; i < event_capacity; ++i) new (&events_[i]) EventRecord{};
    states_ = static_cast<char*>(at(states_at));
    reset();
}

int64_t Arena::load(int object, int64_t cell) const {
    const Placement& p = placement_.at(object);
    const void* addr = at(p.offset + static_cast<size_t>(cell) * p.width);
    switch (p.width) {
        case 1: return p.is_signed ? load_as<int8_t>(addr) : load_as<uint8_t>(addr);
        case 2: return p.is_signed ? load_as<int16_t>(addr) : load_as<uint16_t>(addr);
        case 4: return p.is_signed ? load_as<int32_t>(addr) : load_as<uint32_t>(addr);
        default: return load_as<int64_t>(addr);
    }
}

void Arena::store(int object, int64_t cell, int64_t value) const {
    const Placement& p = placement_.at(object);
    void* addr = at(p.offset + static_cast<size_t>(cell) * p.width);
    switch (p.width) {
        case 1: store_as<uint8_t>(addr, value); break;
        case 2: store_as<uint16_t>(addr, value); break;
        case 4: store_as<uint32_t>(addr, value); break;
        default: store_as<int64_t>(addr, value); break;
    }
}

SharedLock& Arena::lock(int object) const {
    if (program_.objects.at(object).kind != model::ObjectKind::Lock) throw std::logic_error("not a lock");
    return *static_cast<SharedLock*>(at(placement_[object].offset));
}

SharedSemaphore& Arena::semaphore(int object) const {
    if (program_.objects.at(object).kind != model::ObjectKind::Semaphore) throw std::logic_error("not a semaphore");
    return *static_cast<SharedSemaphore*>(at(placement_[object].offset));
}

void Arena::reset() {
    using model::ObjectKind;
    uint64_t used = header_->seq.load();
    header_->seq.store(0);
    header_->step_lock.store(0);
    header_->changes.store(0);
    header_->done.store(0);
    header_->printed.store(0);
    std::memset(static_cast<void*>(&header_->file_steps), 0, sizeof header_->file_steps);
    init_lock(header_->file_steps, false);
    for (size_t i = 0; i < program_.objects.size(); ++i) {
        const auto& obj = program_.objects[i];
        switch (obj.kind) {
            case ObjectKind::Value:
            case ObjectKind::Array:
                for (size_t c = 0; c < obj.initial.size(); ++c) store(static_cast<int>(i), c, obj.typecode.wrap(obj.initial[c]));
                break;
            case ObjectKind::Lock: {
                auto* lock = static_cast<SharedLock*>(at(placement_[i].offset));
                std::memset(static_cast<void*>(lock), 0, sizeof *lock);
                init_lock(*lock, obj.recursive);
                break;
            }
            case ObjectKind::Semaphore: {
                auto* sem = static_cast<SharedSemaphore*>(at(placement_[i].offset));
                std::memset(static_cast<void*>(sem), 0, sizeof *sem);
                init_semaphore(*sem, obj.semaphore_initial);
                break;
            }
            case ObjectKind::File: break;
        }
    }
    for (int i = 0; i < instances_; ++i) {
        InstanceSlot& s = slots_[i];
        s.pid.store(0);
        s.status.store(static_cast<int32_t>(SlotStatus::Unused));
        s.waiting_on.store(-1);
        s.state_size.store(0);
        s.signalled.store(0);
        s.failed_assert = -1;
        s.end_signal = 0;
        s.error[0] = '\0';
        s.spin_epoch.store(0);
        s.spin[0] = '\0';
    }
    uint64_t written = used < static_cast<uint64_t>(event_capacity_) ? used : event_capacity_;
    for (uint64_t i = 0; i < written; ++i) events_[i].seq_plus_one.store(0, std::memory_order_relaxed);
}

}  // namespace critsec::runtime
