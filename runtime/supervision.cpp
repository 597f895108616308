#include "runtime/supervision.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "runtime/clock.hpp"
#include "runtime/unique_fd.hpp"

namespace critsec::runtime {

bool asleep_in_kernel(int pid) {
    std::string path = "/proc/" + std::to_string(pid) + "/stat";
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return false;
    char buf[512];
    ssize_t n = ::read(fd.get(), buf, sizeof buf - 1);
    if (n <= 0) return false;
    buf[n] = '\0';
    const char* close = std::strrchr(buf, ')');  // the command name may hold spaces and parentheses
    return close && close[1] == ' ' && close[2] == 'S';
}

namespace {
std::string seconds_text(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g s", s);
    return buf;
}
}  // namespace

Watchdog::Watchdog(const model::Program& program, const Arena& arena, const RunOptions& options)
    : program_(program), arena_(arena), options_(options), names_(static_cast<size_t>(arena.instances())) {
    names_[0] = "main";
    started_ = last_progress_ = monotonic_seconds();
}

bool Watchdog::check(bool main_waiting, const std::vector<int>& running, const std::vector<int>& pids, int main_joins) {
    if (stopped()) return false;
    double now = monotonic_seconds();
    if (options_.interrupted && options_.interrupted()) {
        halt(Stop::Interrupted, "interrupted", main_waiting, {}, main_joins);
        return false;
    }
    uint64_t seq = arena_.header().seq.load();
    if (seq != last_seq_) {
        last_seq_ = seq;
        last_progress_ = now;
    }
    for (int i = 0; i < arena_.instances(); ++i)
        if (arena_.slot(i).status.load() == static_cast<int32_t>(SlotStatus::Sleeping)) last_progress_ = now;
    if (now - started_ > options_.max_run_seconds) {
        halt(Stop::Timeout, "the run took longer than " + seconds_text(options_.max_run_seconds) + " (--max-run-time)", main_waiting,
             running, main_joins);
        return false;
    }
    if (now - last_progress_ > options_.no_progress_timeout) {
        halt(Stop::Deadlock, "no step for " + seconds_text(options_.no_progress_timeout) + " (--timeout)", main_waiting, running,
             main_joins);
        return false;
    }
    bool all_blocked = main_waiting;
    for (size_t k = 0; all_blocked && k < running.size(); ++k)
        all_blocked = arena_.slot(running[k]).status.load() == static_cast<int32_t>(SlotStatus::Blocked) && asleep_in_kernel(pids[k]);
    if (!all_blocked) {
        candidate_ = false;
    } else if (!candidate_ || candidate_seq_ != seq) {
        candidate_ = true;
        candidate_seq_ = seq;
        candidate_time_ = now;
    } else if (now - candidate_time_ >= 0.002) {
        halt(Stop::Deadlock, "", main_waiting, running, main_joins);
        return false;
    }
    if (livelocked(main_waiting, running, seq, now)) {
        std::vector<std::string> spins;
        for (int i : spinners_) spins.push_back(describe_spin(i, spin_changes_));
        if (std::find(spins.begin(), spins.end(), "") == spins.end()) {
            reasons_ = std::move(spins);
            halt(Stop::Livelock, "", main_waiting, running, main_joins);
            return false;
        }
    }
    return true;
}

bool Watchdog::livelocked(bool main_waiting, const std::vector<int>& running, uint64_t seq, double now) {
    uint64_t changes = 0;
    if (options_.livelock_seconds <= 0 || !spinning_now(main_waiting, running, changes)) {
        spin_since_ = -1;
        return false;
    }
    // The window starts over whenever anything moved: a change, a process ending, another spinner.
    if (spin_since_ < 0 || changes != spin_changes_ || running != spin_running_ || spinning_ != spinners_) {
        spin_since_ = now;
        spin_changes_ = changes;
        spin_seq_ = seq;
        spin_running_ = running;
        spinners_ = spinning_;
        return false;
    }
    // Steps went on (a spin, not a stall: a process waiting for its turn in a replay does not spin).
    return now - spin_since_ >= options_.livelock_seconds && seq != spin_seq_;
}

// Every process that could go on (main when not waiting, each living child not
// Blocked) has proven in its slot that it spins at the present `changes`.
bool Watchdog::spinning_now(bool main_waiting, const std::vector<int>& running, uint64_t& changes) {
    changes = arena_.header().changes.load();
    spinning_.clear();
    auto spins = [&](int i) { return arena_.slot(i).spin_epoch.load() == changes + 1; };
    if (!main_waiting) {
        if (!spins(0)) return false;
        spinning_.push_back(0);
    }
    for (int i : running) {
        if (arena_.slot(i).status.load() == static_cast<int32_t>(SlotStatus::Blocked)) continue;
        if (!spins(i)) return false;
        spinning_.push_back(i);
    }
    return !spinning_.empty() && arena_.header().changes.load() == changes;
}

std::string Watchdog::describe_spin(int instance, uint64_t changes) const {
    const InstanceSlot& slot = arena_.slot(instance);
    if (slot.spin_epoch.load() != changes + 1) return "";
    char text[kSpinBytes];
    std::memcpy(text, slot.spin, sizeof text);
    text[kSpinBytes - 1] = '\0';
    if (slot.spin_epoch.load() != changes + 1) return "";  // rewritten while copied
    std::string where = text, what;
    if (auto cut = where.find('\n'); cut != std::string::npos) {
        what = where.substr(cut + 1) + ", ";
        where.resize(cut);
    }
    return names_[instance] + " spins " + where + " (" + what + "nothing changed for " + seconds_text(options_.livelock_seconds) + ")";
}

void Watchdog::halt(Stop why, std::string reason, bool main_waiting, const std::vector<int>& running, int main_joins) {
    stop_ = why;
    if (!reason.empty()) reasons_.push_back(std::move(reason));
    if (why == Stop::Interrupted) return;
    if (main_joins > 0) reasons_.push_back("main joins " + names_[main_joins]);
    else if (main_waiting && arena_.slot(0).status.load() == static_cast<int32_t>(SlotStatus::Blocked))
        reasons_.push_back(describe_wait(0));
    for (int i : running)
        if (arena_.slot(i).status.load() == static_cast<int32_t>(SlotStatus::Blocked)) reasons_.push_back(describe_wait(i));
}

std::string Watchdog::describe_wait(int instance) const {
    int object = arena_.slot(instance).waiting_on.load();
    if (object < 0 || object >= static_cast<int>(program_.objects.size())) return names_[instance] + " is blocked";
    const auto& obj = program_.objects[object];
    std::string out = names_[instance] + " waits for " + obj.name;
    if (obj.kind == model::ObjectKind::Semaphore) return out + " (count 0)";
    if (obj.kind != model::ObjectKind::Lock) return out;
    int holder = arena_.lock(object).holder.load();
    if (holder < 0 || holder >= arena_.instances()) return out;
    if (holder == instance) return out + " (which it holds itself)";
    auto status = static_cast<SlotStatus>(arena_.slot(holder).status.load());
    bool ended = status == SlotStatus::Finished || status == SlotStatus::Failed;
    return out + " (held by " + names_[holder] + (ended ? ", which ended without releasing it)" : ")");
}

}  // namespace critsec::runtime
