#include "checker/symbolic/compiled_search.hpp"

#include <fmt/format.h>
#include <z3++.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <unordered_map>

#include "checker/budget.hpp"
#include "checker/explorer/fingerprint_set.hpp"
#include "checker/symbolic/compiled_term.hpp"
#include "checker/symbolic/frame.hpp"
#include "checker/symbolic/guided_replay.hpp"
#include "checker/symbolic/transition_system.hpp"

namespace critsec::checker {
namespace {

struct Decline {
    std::string why;
};

// ---- the search -----------------------------------------------------------------------

// The states of one breadth-first level, in chunks that never move and pass
// from level to level through a shared pool: a level of a few hundred
// thousand states is written once, without the copies and fresh pages of a
// vector that grows.
class LevelStore {
public:
    LevelStore(size_t words, std::vector<std::unique_ptr<int64_t[]>>& pool)
        : words_(words), per_chunk_(std::max<size_t>(1, kChunkWords / words)), pool_(pool) {}
    int64_t* push() {
        if (size_ == chunks_.size() * per_chunk_) {
            if (pool_.empty()) {
                chunks_.push_back(std::make_unique<int64_t[]>(per_chunk_ * words_));
            } else {
                chunks_.push_back(std::move(pool_.back()));
                pool_.pop_back();
            }
        }
        return (*this)[size_++];
    }
    int64_t* operator[](size_t i) const { return chunks_[i / per_chunk_].get() + (i % per_chunk_) * words_; }
    size_t size() const { return size_; }
    void clear() {
        for (auto& c : chunks_) pool_.push_back(std::move(c));
        chunks_.clear();
        size_ = 0;
    }
    void swap(LevelStore& other) {
        std::swap(chunks_, other.chunks_);
        std::swap(size_, other.size_);
    }

private:
    static constexpr size_t kChunkWords = size_t{1} << 17;
    size_t words_, per_chunk_;
    std::vector<std::unique_ptr<int64_t[]>>& pool_;
    std::vector<std::unique_ptr<int64_t[]>> chunks_;
    size_t size_ = 0;
};

// ---- places ---------------------------------------------------------------------------

// How one slot of a child's next place is filled.
struct Transfer {
    enum class From : uint8_t { Slot, Loaded, Term } from;
    int index = -1;             // Slot: the old slot; Term: the term, in Space::terms_
    std::vector<int> leaf_src;  // Term: per leaf, the old slot holding it, or -1 for the value just loaded
};

// A child before one of its steps, or finished. Children at places with the
// same signature behave alike from there on: one Place serves them all.
struct Place {
    bool finished = false;
    ChildStep::Kind kind = ChildStep::Kind::Acquire;
    int cell = -1;
    int64_t lock_bit = 0;
    int store_slot = -1;  // Store: the slot holding its value
    int next = 0;         // the place after the step (and the silent loads after it)
    int covers = 1;       // steps of the transition system the move takes: 1 + those silent loads
    std::vector<Transfer> next_slots;
    std::vector<Transfer> checks;  // Load: obligations (no overflow) that become decidable here
    uint64_t loads_ahead = 0;      // bit k: cell k is loaded by a step from here on
    uint64_t stores_ahead = 0;     // bit k: cell k is stored by a step from here on
};

struct SearchResult {
    size_t states = 0;
    bool complete = true;
    std::optional<std::string> budget_spent;  // why the command's time or memory ran out
    struct Final {
        std::vector<int64_t> cells;
        std::vector<int> schedule;  // the child (index in ts.children) of each step
    };
    std::vector<Final> finals;
};

class Space {
public:
    explicit Space(const TransitionSystem& ts) : ts_(ts) {
        if (ts.locks.size() > 63) throw Decline{"more than 63 locks"};
        if (ts.cells.size() > 64) throw Decline{"more than 64 shared cells"};
        cells_ = static_cast<int>(ts.cells.size());
        children_ = static_cast<int>(ts.children.size());
        if (children_ > 4096) throw Decline{"too many children"};
        for (const auto& ob : ts.obligations) {
            int64_t ok = 0;
            if (constants_of(ob).empty() && (!CompiledTerm::compile(ob, [](unsigned) { return -1; }).eval(nullptr, ok) || !ok))
                throw Decline{"arithmetic that leaves 64 bits"};
        }
        intern("");  // place 0: finished
        places_.emplace_back();
        places_[0].finished = true;
        std::vector<std::vector<std::vector<int>>> slots_of(children_);
        std::vector<std::vector<int>> place_of(children_);
        for (int c = 0; c < children_; ++c) compile_child(c, slots_of[c], place_of[c]);
        for (int c = 0; c < children_; ++c) build_places(c, slots_of[c], place_of[c]);
        start_event_.assign(children_, -1);
        for (size_t k = 0; k < ts.main_events.size(); ++k)
            if (ts.main_events[k].kind == MainEvent::Kind::Start) start_event_[ts.main_events[k].child] = static_cast<int>(k);
        events_ = static_cast<int>(ts.main_events.size());
        start_ahead_.assign(events_ + 1, 0);
        for (int k = events_ - 1; k >= 0; --k) start_ahead_[k] = start_ahead_[k + 1] || ts.main_events[k].kind == MainEvent::Kind::Start;
        record_ = 1 + width_;
        words_ = cells_ + 2 + children_ * record_;
        old_.resize(record_);
        record_prints_.resize(children_);
    }

    SearchResult search(size_t max_states, const Budget* budget) {
        SearchResult out;
        // States are expanded a batch at a time: every successor's fingerprint is
        // known, and its table slot fetched, before the first is looked up. A
        // successor is only written out once it proves new.
        constexpr size_t kBatch = 256;
        std::vector<std::unique_ptr<int64_t[]>> pool;
        LevelStore frontier(words_, pool), next(words_, pool);
        std::vector<uint32_t> ids{0}, next_ids;  // each frontier state's id
        initial(frontier.push());
        seen_.insert(fingerprint(frontier[0]));
        parent_.push_back({0, 0});
        size_t depth = 0;
        while (!ids.empty() && out.complete) {
            ++depth;
            for (size_t first = 0; first < ids.size() && out.complete; first += kBatch) {
                if (budget && (out.budget_spent = budget->check(
                                   parent_.size(), [depth] { return depth; }, "outcomes"))) {
                    out.complete = false;
                    break;
                }
                pending_.clear();
                pending_words_.clear();
                for (size_t f = first; f < std::min(ids.size(), first + kBatch); ++f) expand(frontier[f], static_cast<uint32_t>(f), ids[f]);
                for (size_t i = 0; i < pending_.size(); ++i) {
                    const Pending& p = pending_[i];
                    if (!seen_.insert(p.print)) continue;
                    if (parent_.size() > max_states) {
                        out.complete = false;
                        break;
                    }
                    next_ids.push_back(static_cast<uint32_t>(parent_.size()));
                    parent_.push_back({ids[p.state], p.mover});
                    write_successor(next.push(), frontier[p.state], pending_words_.data() + i * pending_width(), p.mover);
                }
            }
            frontier.swap(next);
            next.clear();
            ids.swap(next_ids);
            next_ids.clear();
        }
        out.states = parent_.size();
        for (const auto& [cells, id] : finals_) out.finals.push_back({cells, schedule_to(id)});
        return out;
    }

private:
    struct Parent {
        uint32_t id;
        uint16_t move;  // the child that moved
    };

    // A successor before it is known to be new: its fingerprint, the frontier state
    // it comes from and the child that moved; its header and the moved child's
    // record wait in pending_words_, pending_width() words each.
    struct Pending {
        Fingerprint print;
        uint32_t state;
        uint16_t mover;
    };
    size_t pending_width() const { return static_cast<size_t>(cells_ + 2 + record_); }

    // Frontier state `f` (state id `id`): its successors to pending_, their table
    // slots prefetched; with none, it is a final state.
    void expand(const int64_t* s, uint32_t f, uint32_t id) {
        const int header = cells_ + 2;
        bool symmetric = s[cells_ + 1] == events_;
        movers_.clear();
        for (int k = 0; k < children_; ++k) {
            const int64_t* rec = record(s, k);
            const Place& place = places_[rec[0]];
            if (place.finished || (!symmetric && start_event_[k] >= s[cells_ + 1])) continue;
            if (place.kind == ChildStep::Kind::Acquire && (s[cells_] & place.lock_bit)) continue;
            // Interchangeable children: one of them moving is enough.
            if (symmetric &&
                std::any_of(movers_.begin(), movers_.end(), [&](int j) { return std::equal(rec, rec + record_, record(s, j)); }))
                continue;
            movers_.push_back(k);
        }
        if (movers_.empty()) {
            for (int k = 0; k < children_; ++k)
                if (!places_[record(s, k)[0]].finished) throw Decline{"a final state with a child blocked (a deadlock, which names it)"};
            finals_.emplace(std::vector<int64_t>(s, s + cells_), id);
            return;
        }
        Fingerprint records{0, 0};
        for (int k = 0; k < children_; ++k) {
            record_prints_[k] = record_print(record(s, k), symmetric ? -1 : k);
            add(records, record_prints_[k]);
        }
        for (int k : movers_) {
            size_t at = pending_words_.size();
            pending_words_.insert(pending_words_.end(), s, s + header);
            pending_words_.insert(pending_words_.end(), record(s, k), record(s, k) + record_);
            int64_t* h = pending_words_.data() + at;
            int64_t* rec = h + header;
            apply(h, rec, places_[rec[0]]);
            auto place_of = [&](int child) { return child == k ? rec[0] : record(s, child)[0]; };
            settle_main(h, place_of);
            forget_dead_cells(h, place_of);
            Fingerprint print = header_print(h);
            if ((h[cells_ + 1] == events_) == symmetric) {
                Fingerprint moved = records;
                sub(moved, record_prints_[k]);
                add(moved, record_print(rec, symmetric ? -1 : k));
                add(print, moved);
            } else {
                for (int j = 0; j < children_; ++j) add(print, record_print(j == k ? rec : record(s, j), -1));
            }
            pending_.push_back({print, f, static_cast<uint16_t>(k)});
            seen_.prefetch(print);
        }
    }

    // A new state: its parent `s` with the pending header and moved record.
    void write_successor(int64_t* t, const int64_t* s, const int64_t* pending, int mover) const {
        const int header = cells_ + 2;
        std::copy(pending, pending + header, t);
        std::copy(s + header, s + words_, t + header);
        std::copy(pending + header, pending + pending_width(), record(t, mover));
    }

    int intern(const std::string& signature) {
        auto [it, fresh] = signature_ids_.emplace(signature, static_cast<int>(signature_ids_.size()));
        return it->second;
    }

    // Child c's terms: its stores' values (store_term_), its overflow checks
    // (checks_at_), and which of its loads are silent (silent_).
    void compile_terms(int c) {
        const ChildRun& child = ts_.children[c];
        int m = static_cast<int>(child.steps.size());
        std::unordered_map<unsigned, int> load_step;  // the Z3 id of each load's constant -> its step
        for (int q = 0; q < m; ++q)
            if (child.steps[q].kind == ChildStep::Kind::Load && child.steps[q].load) load_step.emplace(child.steps[q].load->id(), q);
        auto own_load = [&](unsigned id) {
            auto at = load_step.find(id);
            return at == load_step.end() ? -1 : at->second;
        };
        std::vector<int> store_term(m, -1);
        for (int q = 0; q < m; ++q) {
            const ChildStep& step = child.steps[q];
            if (step.kind != ChildStep::Kind::Store) continue;
            if (!step.value) throw Decline{"a store without a value"};
            store_term[q] = static_cast<int>(terms_.size());
            terms_.push_back(CompiledTerm::compile(*step.value, own_load));
            for (int l : terms_.back().leaves)
                if (l >= q) throw Decline{"a store computed from a later load"};
        }
        // Obligations over this child's loads: checked on the last of those loads.
        std::vector<std::vector<int>> checks_at(m);
        for (const auto& ob : ts_.obligations) {
            std::vector<unsigned> ids = constants_of(ob);
            bool mine = !ids.empty() && std::all_of(ids.begin(), ids.end(), [&](unsigned id) { return own_load(id) >= 0; });
            if (!mine) continue;
            CompiledTerm t = CompiledTerm::compile(ob, own_load);
            int at = *std::max_element(t.leaves.begin(), t.leaves.end());
            checks_at[at].push_back(static_cast<int>(terms_.size()));
            terms_.push_back(std::move(t));
        }
        store_term_.push_back(store_term);
        checks_at_.push_back(checks_at);
        // A load whose value no store and no overflow check uses (it only reaches
        // prints) changes nothing an outcome sees: it is taken along with the
        // child's step before it, and no state tells it apart.
        std::vector<char> used(m, 0);
        for (int q = 0; q < m; ++q) {
            if (store_term[q] >= 0)
                for (int l : terms_[store_term[q]].leaves) used[l] = 1;
            for (int t : checks_at[q])
                for (int l : terms_[t].leaves) used[l] = 1;
        }
        std::vector<char> silent(m, 0);
        for (int q = 0; q < m; ++q) silent[q] = child.steps[q].kind == ChildStep::Kind::Load && !used[q];
        silent_.push_back(silent);
    }

    // The slots child c keeps at place p: each store's step whose value is ready
    // (the first `ready_stores`), then each load's step still needed raw.
    std::vector<int> slots_at(int c, int p, size_t& ready_stores) const {
        const auto& store_term = store_term_[c];
        const auto& checks_at = checks_at_[c];
        int m = static_cast<int>(store_term.size());
        auto ready = [&](int q) {
            const auto& lv = terms_[store_term[q]].leaves;
            return std::all_of(lv.begin(), lv.end(), [&](int l) { return l < p; });
        };
        std::vector<int> slots;
        std::vector<char> needed(m, 0);
        for (int q = p; q < m; ++q) {
            if (store_term[q] >= 0) {
                if (ready(q)) slots.push_back(q);
                else
                    for (int l : terms_[store_term[q]].leaves) needed[l] = needed[l] || l < p;
            }
            for (int t : checks_at[q])
                for (int l : terms_[t].leaves) needed[l] = needed[l] || l < p;
        }
        ready_stores = slots.size();
        for (int l = 0; l < p; ++l)
            if (needed[l]) slots.push_back(l);
        return slots;
    }

    // What child c still does from place p, with its kept values named by slot:
    // children at places with equal signatures behave alike from there on.
    std::string signature_at(int c, int p, const std::vector<int>& slots, size_t ready_stores) const {
        const ChildRun& child = ts_.children[c];
        int m = static_cast<int>(child.steps.size());
        auto stores_end = slots.begin() + static_cast<std::ptrdiff_t>(ready_stores);
        auto leaf_name = [&](int l) {
            if (l >= p) return fmt::format("F{}", l - p);
            return fmt::format("K{}", std::find(slots.begin(), slots.end(), l) - slots.begin());
        };
        std::string signature;
        for (int q = p; q < m; ++q) {
            const ChildStep& step = child.steps[q];
            switch (step.kind) {
                case ChildStep::Kind::Acquire: signature += fmt::format("A{};", lock_index(step.object)); break;
                case ChildStep::Kind::Release: signature += fmt::format("R{};", lock_index(step.object)); break;
                case ChildStep::Kind::Load:
                    if (!silent_[c][q]) signature += fmt::format("L{};", step.cell);
                    break;
                case ChildStep::Kind::Store: {
                    auto slot = std::find(slots.begin(), stores_end, q);
                    signature += slot != stores_end ? fmt::format("S{}=P{};", step.cell, slot - slots.begin())
                                                    : fmt::format("S{}={};", step.cell, terms_[store_term_[c][q]].text(leaf_name));
                    break;
                }
            }
            for (int t : checks_at_[c][q]) signature += fmt::format("O{};", terms_[t].text(leaf_name));
        }
        return signature;
    }

    // Per place p of child c: the slots it keeps and its place (by signature).
    void compile_child(int c, std::vector<std::vector<int>>& slots_of, std::vector<int>& place_of) {
        compile_terms(c);
        int m = static_cast<int>(ts_.children[c].steps.size());
        slots_of.assign(m + 1, {});
        place_of.assign(m + 1, 0);
        for (int p = 0; p <= m; ++p) {
            size_t ready_stores = 0;
            std::vector<int> slots = slots_at(c, p, ready_stores);
            width_ = std::max(width_, static_cast<int>(slots.size()));
            std::string signature = signature_at(c, p, slots, ready_stores);
            if (p == 0) {
                // Stores computed from no load are ready from the start: their values are the first slots.
                std::vector<int64_t> first;
                for (int q : slots) {
                    int64_t v = 0;
                    if (!terms_[store_term_[c][q]].eval(nullptr, v)) throw Decline{"a store whose value may leave 64 bits"};
                    first.push_back(v);
                }
                first_slots_.push_back(std::move(first));
            }
            slots_of[p] = std::move(slots);
            place_of[p] = intern(signature);
        }
    }

    void build_places(int c, const std::vector<std::vector<int>>& slots_of, const std::vector<int>& place_of) {
        const ChildRun& child = ts_.children[c];
        int m = static_cast<int>(child.steps.size());
        if (places_.size() < signature_ids_.size()) places_.resize(signature_ids_.size());
        built_.resize(signature_ids_.size(), 0);
        const auto& silent = silent_[c];
        auto next_real = [&](int q) {
            while (q < m && silent[q]) ++q;
            return q;
        };
        first_place_.push_back(place_of[next_real(0)]);
        first_covers_.push_back(next_real(0));
        for (int p = 0; p < m; ++p) {
            if (silent[p] || built_[place_of[p]]) continue;  // built_: from another child at a place with the same signature
            built_[place_of[p]] = 1;
            Place& place = places_[place_of[p]];
            const ChildStep& step = child.steps[p];
            const auto& before = slots_of[p];
            const auto& after = slots_of[p + 1];
            auto old_slot = [&](int step_index) {
                auto at = std::find(before.begin(), before.end(), step_index);
                if (at == before.end()) throw Decline{"internal: a value the compiled search lost"};
                return static_cast<int>(at - before.begin());
            };
            auto from_term = [&](int t) {
                Transfer tr{Transfer::From::Term, t, {}};
                for (int l : terms_[t].leaves) tr.leaf_src.push_back(l == p ? -1 : old_slot(l));
                return tr;
            };
            place.kind = step.kind;
            place.cell = step.cell;
            // The silent loads after the step change no slot: the next real place keeps the same ones.
            place.covers = next_real(p + 1) - p;
            for (int q = p; q < m; ++q) {
                const ChildStep& later = child.steps[q];
                if (later.kind == ChildStep::Kind::Load && !silent[q]) place.loads_ahead |= uint64_t{1} << later.cell;
                if (later.kind == ChildStep::Kind::Store) place.stores_ahead |= uint64_t{1} << later.cell;
            }
            place.next = place_of[next_real(p + 1)];
            if (step.kind == ChildStep::Kind::Acquire || step.kind == ChildStep::Kind::Release)
                place.lock_bit = int64_t{1} << lock_index(step.object);
            if (step.kind == ChildStep::Kind::Store) place.store_slot = old_slot(p);
            for (int q : after) {
                bool was_kept = std::find(before.begin(), before.end(), q) != before.end();
                if (was_kept) place.next_slots.push_back({Transfer::From::Slot, old_slot(q), {}});
                else if (q == p) place.next_slots.push_back({Transfer::From::Loaded, -1, {}});
                else place.next_slots.push_back(from_term(store_term_[c][q]));
            }
            if (step.kind == ChildStep::Kind::Load)
                for (int t : checks_at_[c][p]) place.checks.push_back(from_term(t));
        }
    }

    int lock_index(int object) const {
        auto at = std::find(ts_.locks.begin(), ts_.locks.end(), object);
        if (at == ts_.locks.end()) throw Decline{"a lock the extraction did not list"};
        return static_cast<int>(at - ts_.locks.begin());
    }

    int64_t* record(int64_t* s, int k) const { return s + cells_ + 2 + k * record_; }
    const int64_t* record(const int64_t* s, int k) const { return s + cells_ + 2 + k * record_; }

    void initial(int64_t* s) const {
        std::fill(s, s + words_, 0);
        for (int k = 0; k < cells_; ++k) s[k] = ts_.cell_type[k].wrap(ts_.cell_initial[k]);
        for (int c = 0; c < children_; ++c) {
            record(s, c)[0] = first_place_[c];
            std::copy(first_slots_[c].begin(), first_slots_[c].end(), record(s, c) + 1);
        }
        auto place_of = [&](int child) { return record(s, child)[0]; };
        settle_main(s, place_of);
        forget_dead_cells(s, place_of);
    }

    bool eval(const Transfer& t, const int64_t* old_slots, int64_t loaded, int64_t& out) const {
        const CompiledTerm& term = terms_[t.index];
        int64_t leaves[CompiledTerm::kMaxLeaves];
        for (size_t i = 0; i < term.leaves.size(); ++i) leaves[i] = t.leaf_src[i] < 0 ? loaded : old_slots[t.leaf_src[i]];
        return term.eval(leaves, out);
    }

    // A child takes its step: `header` is the state's cells, locks and main's
    // place, `rec` the child's record.
    void apply(int64_t* header, int64_t* rec, const Place& place) const {
        std::copy(rec, rec + record_, old_.begin());
        const int64_t* old_slots = old_.data() + 1;
        int64_t loaded = 0;
        switch (place.kind) {
            case ChildStep::Kind::Acquire: header[cells_] |= place.lock_bit; break;
            case ChildStep::Kind::Release: header[cells_] &= ~place.lock_bit; break;
            case ChildStep::Kind::Load:
                loaded = header[place.cell];
                for (const Transfer& check : place.checks) {
                    int64_t ok = 0;
                    if (!eval(check, old_slots, loaded, ok) || !ok) throw Decline{"a child whose arithmetic may leave 64 bits"};
                }
                break;
            case ChildStep::Kind::Store: header[place.cell] = ts_.cell_type[place.cell].wrap(old_slots[place.store_slot]); break;
        }
        rec[0] = place.next;
        for (size_t i = 0; i < place.next_slots.size(); ++i) {
            const Transfer& t = place.next_slots[i];
            switch (t.from) {
                case Transfer::From::Slot: rec[1 + i] = old_slots[t.index]; break;
                case Transfer::From::Loaded: rec[1 + i] = loaded; break;
                case Transfer::From::Term:
                    if (!eval(t, old_slots, loaded, rec[1 + i])) throw Decline{"a store whose value may leave 64 bits"};
                    break;
            }
        }
        std::fill(rec + 1 + place.next_slots.size(), rec + record_, 0);
    }

    // Main's starts, and its joins of finished children, as soon as they can be;
    // once no start is left, its joins only wait (main's place becomes the end,
    // and the children are interchangeable). `place_of(child)`: its place.
    template <class PlaceOf>
    void settle_main(int64_t* header, PlaceOf place_of) const {
        int64_t& pc = header[cells_ + 1];
        while (pc < events_) {
            const MainEvent& ev = ts_.main_events[pc];
            if (ev.kind == MainEvent::Kind::Join && !places_[place_of(ev.child)].finished) break;
            ++pc;
        }
        if (!start_ahead_[pc]) pc = events_;
    }

    // A cell that no child will load again, and some child will store, is dead:
    // no step reads its value, and the last store decides its final one. Its
    // value is cleared, so that states that differ only in it merge.
    template <class PlaceOf>
    void forget_dead_cells(int64_t* header, PlaceOf place_of) const {
        uint64_t loads = 0, stores = 0;
        for (int c = 0; c < children_; ++c) {
            const Place& place = places_[place_of(c)];
            loads |= place.loads_ahead;
            stores |= place.stores_ahead;
        }
        for (uint64_t dead = stores & ~loads; dead != 0; dead &= dead - 1) header[__builtin_ctzll(dead)] = 0;
    }

    // A state's fingerprint is its header's plus the sum of its records': where
    // children are interchangeable a record's does not depend on its position
    // (`position` -1), so states that differ only in which child is which share
    // it, and a move changes the sum by one record's.
    static void add(Fingerprint& a, const Fingerprint& b) { a[0] += b[0], a[1] += b[1]; }
    static void sub(Fingerprint& a, const Fingerprint& b) { a[0] -= b[0], a[1] -= b[1]; }
    Fingerprint record_print(const int64_t* rec, int position) const {
        WordHasher h;
        h.put(position);
        for (int i = 0; i < record_; ++i) h.put(rec[i]);
        return h.finish();
    }
    Fingerprint header_print(const int64_t* header) const {
        WordHasher h;
        for (int i = 0; i < cells_ + 2; ++i) h.put(header[i]);
        return h.finish();
    }
    Fingerprint fingerprint(const int64_t* s) const {
        Fingerprint print = header_print(s);
        bool symmetric = s[cells_ + 1] == events_;
        for (int k = 0; k < children_; ++k) add(print, record_print(record(s, k), symmetric ? -1 : k));
        return print;
    }

    // The children's steps of the transition system to a state, one entry per step:
    // states are never reordered, so a state's moves are the children that took
    // them; each move takes its child's leading silent loads first (if it is the
    // child's first), the step, and the silent loads after it.
    std::vector<int> schedule_to(uint32_t id) const {
        std::vector<int> moves;
        for (uint32_t at = id; at != 0; at = parent_[at].id) moves.push_back(parent_[at].move);
        std::reverse(moves.begin(), moves.end());
        std::vector<int> schedule, place(first_place_);
        std::vector<char> moved(children_, 0);
        for (int c : moves) {
            if (!moved[c]) schedule.insert(schedule.end(), first_covers_[c], c);
            moved[c] = 1;
            schedule.insert(schedule.end(), places_[place[c]].covers, c);
            place[c] = places_[place[c]].next;
        }
        for (int c = 0; c < children_; ++c)
            if (!moved[c]) schedule.insert(schedule.end(), first_covers_[c], c);
        return schedule;
    }

    const TransitionSystem& ts_;
    int cells_ = 0, children_ = 0, events_ = 0, width_ = 0, record_ = 1, words_ = 0;
    std::vector<CompiledTerm> terms_;
    std::vector<std::vector<int>> store_term_;              // by child, by step: its term or -1
    std::vector<std::vector<std::vector<int>>> checks_at_;  // by child, by step: obligation terms
    std::unordered_map<std::string, int> signature_ids_;
    std::vector<Place> places_;                      // by signature id
    std::vector<char> built_;                        // by signature id
    std::vector<int> first_place_;                   // by child: after its leading silent loads
    std::vector<int> first_covers_;                  // by child: how many leading silent loads
    std::vector<std::vector<char>> silent_;          // by child, by step
    std::vector<std::vector<int64_t>> first_slots_;  // by child
    std::vector<int> start_event_;                   // by child: main's event that starts it
    std::vector<char> start_ahead_;                  // by main's place: a start is still to come
    FingerprintSet seen_;
    std::vector<Parent> parent_;
    std::vector<Pending> pending_;  // the batch's successors
    std::vector<int64_t> pending_words_;
    std::vector<int> movers_;                          // expand()'s: the children that can move
    std::vector<Fingerprint> record_prints_;           // expand()'s: each child's record's print
    std::map<std::vector<int64_t>, uint32_t> finals_;  // final cells -> the first state with them
    mutable std::vector<int64_t> old_;                 // apply()'s copy of the record it rewrites
};

}  // namespace

std::optional<OutcomeSearchReport> search_outcomes_compiled(const PreparedProgram& prepared, const OutcomeSearchOptions& options,
                                                            std::string* declined) {
    auto decline = [&](std::string why) -> std::optional<OutcomeSearchReport> {
        if (declined) *declined = std::move(why);
        return std::nullopt;
    };
    try {
        z3::context ctx;
        const auto& choose = options.draws.main_choice;
        Extraction extraction = extract_transition_system(ctx, prepared.program, options.draws.main_inputs, choose ? &choose : nullptr);
        if (!extraction.system) return decline(extraction.declined);
        const TransitionSystem& ts = *extraction.system;
        if (!ts.draws.empty()) return decline("inputs left to draw");
        // State ids are 32-bit.
        constexpr size_t kMost = std::numeric_limits<uint32_t>::max() - 1;
        size_t budget =
            options.max_states > kMost / kCompiledStatesPerExplorerState ? kMost : options.max_states * kCompiledStatesPerExplorerState;
        SearchResult found = Space(ts).search(budget, options.budget);
        if (found.budget_spent) {
            OutcomeSearchReport spent;
            spent.complete = false;
            spent.budget_spent = true;
            spent.incomplete = *found.budget_spent;
            spent.states = found.states;
            return spent;
        }
        // Its final states all lie at the greatest depth: stopped short, it has found
        // none, where the explorer's search (private steps taken alone) may finish.
        if (!found.complete)
            return decline(fmt::format("it stopped after {} states (the --max-states budget, times {})", found.states,
                                       kCompiledStatesPerExplorerState));

        Machine machine(prepared, Watch{}, options.draws, options.bound, false, /*lost_updates=*/false);
        OutcomeSearchReport report;
        report.states = found.states;
        for (const auto& final : found.finals) {
            std::vector<int> instances;
            for (int c : final.schedule) instances.push_back(ts.children[c].instance);
            auto run = follow_shared_step_order(machine, instances);
            if (!run) return decline("a final state the machine does not reach by the same steps");
            for (size_t k = 0; k < ts.cells.size(); ++k)
                if (run->last.world.cells.at(ts.cells[k].object).at(ts.cells[k].cell) != final.cells[k])
                    return decline("a final state the machine reaches with other values");
            if (!machine.blocked(run->last).empty()) return decline("a final state the machine reaches with a process blocked");
            std::string text = machine.outcome_text(run->last);
            auto [at, fresh] = report.outcomes.emplace(std::move(text), run->path);
            if (!fresh && run->path.size() < at->second.size()) at->second = std::move(run->path);
        }
        return report;
    } catch (const Decline& d) {
        return decline(d.why);
    } catch (const TermNotCompiled& d) {
        return decline(d.why);
    } catch (const std::bad_alloc&) {
        return decline("out of memory");
    }
}

}  // namespace critsec::checker
