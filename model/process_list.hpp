#pragma once
// The processes of an in-memory world. A search copies the world for every
// move, and a move changes one process (two when it starts one): each process
// is shared between the copies of the world until one of them changes it.
// Reading goes through const access; writing through edit() (or non-const
// operator[]), which first makes this world's own copy when it is shared.
#include <array>
#include <cstdint>
#include <iterator>
#include <memory>
#include <vector>

#include "model/semantics.hpp"

namespace critsec::model {

class ProcessList {
    struct Node {
        ProcessState state;
        // A value a client derives from the state (a search's hash of it), kept
        // until the state changes; `memo_owner` says whose it is (0: nobody's).
        mutable uint64_t memo_owner = 0;
        mutable std::array<uint64_t, 2> memo{};
    };

public:
    class const_iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = ProcessState;
        using difference_type = std::ptrdiff_t;
        using pointer = const ProcessState*;
        using reference = const ProcessState&;
        explicit const_iterator(std::vector<std::shared_ptr<Node>>::const_iterator at) : at_(at) {}
        reference operator*() const { return (*at_)->state; }
        pointer operator->() const { return &(*at_)->state; }
        const_iterator& operator++() { return ++at_, *this; }
        const_iterator operator++(int) { return const_iterator(at_++); }
        difference_type operator-(const const_iterator& o) const { return at_ - o.at_; }
        bool operator==(const const_iterator& o) const { return at_ == o.at_; }
        bool operator!=(const const_iterator& o) const { return at_ != o.at_; }

    private:
        std::vector<std::shared_ptr<Node>>::const_iterator at_;
    };

    size_t size() const { return items_.size(); }
    bool empty() const { return items_.empty(); }
    const ProcessState& operator[](size_t i) const { return items_[i]->state; }
    const ProcessState& front() const { return items_.front()->state; }
    const_iterator begin() const { return const_iterator(items_.begin()); }
    const_iterator end() const { return const_iterator(items_.end()); }

    // This world's own copy of process i, to change. A reference stays valid
    // while processes are appended (each lives in its own node).
    ProcessState& edit(size_t i) {
        auto& node = items_[i];
        if (node.use_count() > 1) node = std::make_shared<Node>(Node{node->state});
        node->memo_owner = 0;
        return node->state;
    }
    ProcessState& operator[](size_t i) { return edit(i); }
    ProcessState& front() { return edit(0); }
    void push_back(ProcessState p) { items_.push_back(std::make_shared<Node>(Node{std::move(p)})); }
    void reserve(size_t n) { items_.reserve(n); }

    // `compute()` for process i, or what it returned last time for the same
    // owner if the process has not changed since.
    template <class Compute>
    std::array<uint64_t, 2> memo(size_t i, uint64_t owner, Compute compute) const {
        const Node& node = *items_[i];
        if (node.memo_owner != owner) {
            node.memo = compute(node.state);
            node.memo_owner = owner;
        }
        return node.memo;
    }

private:
    std::vector<std::shared_ptr<Node>> items_;
};

}  // namespace critsec::model
