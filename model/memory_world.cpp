#include "model/memory_world.hpp"

#include <fmt/format.h>

#include <utility>

#include "model/lock_rules.hpp"

namespace critsec::model {

MemoryWorld::MemoryWorld(const Program& program, int64_t cpu_count) : program_(&program), cpu_count_(cpu_count) {
    size_t n = program.objects.size();
    cells.resize(n);
    holder.assign(n, -1);
    hold_count.assign(n, 0);
    files.resize(n);
    for (size_t i = 0; i < n; ++i) {
        const auto& o = program.objects[i];
        cells[i] = o.initial;
        if (o.kind == ObjectKind::Semaphore) hold_count[i] = static_cast<int>(o.semaphore_initial);
        if (o.kind == ObjectKind::File) files[i] = {o.file_exists, o.file_initial};
    }
    processes.push_back(initial_main_state(program));
}

int64_t MemoryWorld::load(int object, int64_t cell) { return cells.at(object).at(cell); }
void MemoryWorld::store(int object, int64_t cell, int64_t value) { cells.at(object).at(cell) = value; }

bool MemoryWorld::can_acquire(int object, int instance) const {
    const auto& o = program_->objects.at(object);
    if (o.kind == ObjectKind::Semaphore) return semaphore_available(hold_count.at(object));
    return lock_available(holder.at(object), instance, o.recursive);
}

bool MemoryWorld::acquire(int object, int instance) {
    if (!can_acquire(object, instance)) return false;
    if (program_->objects.at(object).kind == ObjectKind::Semaphore) {
        --hold_count[object];
    } else if (holder[object] == -1) {
        holder[object] = instance;
        hold_count[object] = 1;
    } else {
        ++hold_count[object];  // a recursive lock its holder takes again
    }
    return true;
}

std::string MemoryWorld::release(int object, int instance) {
    const auto& o = program_->objects.at(object);
    if (o.kind == ObjectKind::Semaphore) {
        std::string error = semaphore_release_error(hold_count[object], semaphore_max(o));
        if (error.empty()) ++hold_count[object];
        return error;
    }
    std::string error = lock_release_error(o.name, holder[object], instance, o.recursive);
    if (!error.empty()) return error;
    if (--hold_count[object] == 0) holder[object] = -1;
    return "";
}

bool MemoryWorld::file_exists(int object) { return files.at(object).exists; }

int MemoryWorld::file_open(int object, bool create, bool truncate) {
    MemoryFile& f = files.at(object);
    if (create) f.exists = true;
    if (truncate) f.content.clear();
    handle_object.push_back(object);
    return static_cast<int>(handle_object.size()) - 1;
}

std::string MemoryWorld::file_pread(int handle, int64_t offset, int64_t max_bytes) {
    const std::string& c = files.at(handle_object.at(handle)).content;
    if (offset >= static_cast<int64_t>(c.size())) return "";
    return c.substr(offset, max_bytes);
}

void MemoryWorld::file_pwrite(int handle, int64_t offset, const std::string& data) {
    std::string& c = files.at(handle_object.at(handle)).content;
    // Writing past the end leaves a hole of NUL bytes, as a real file does.
    if (static_cast<int64_t>(c.size()) < offset + static_cast<int64_t>(data.size())) c.resize(offset + data.size(), '\0');
    c.replace(offset, data.size(), data);
}

int64_t MemoryWorld::file_append(int handle, const std::string& data) {
    std::string& c = files.at(handle_object.at(handle)).content;
    c += data;
    return static_cast<int64_t>(c.size());
}

int64_t MemoryWorld::file_size(int handle) { return static_cast<int64_t>(files.at(handle_object.at(handle)).content.size()); }
void MemoryWorld::file_close(int) {}

void MemoryWorld::print(int instance, const std::string& line) { output.push_back({instance, line}); }

void MemoryWorld::start(const ProcessState& child) { processes.push_back(child); }

bool MemoryWorld::join(int instance) {
    const ProcessState* p = lookup(instance);
    return p && p->finished;
}

std::optional<int64_t> MemoryWorld::exit_code(int instance) {
    const ProcessState* p = lookup(instance);
    if (!p || !p->finished) return std::nullopt;
    return exit_code_of(*p);
}

void MemoryWorld::send_signal(int instance, int signal) {
    const ProcessState* p = lookup(instance);
    if (!p || p->finished) return;
    // A SIGKILL overtakes a SIGTERM not yet acted on; nothing overtakes a SIGKILL.
    if (p->pending_signal == 0 || signal == kSigKill) find(instance)->pending_signal = signal;
}

std::string MemoryWorld::pid_name(int instance) {
    if (instance == -1) return "shell";
    if (instance == 0) return "main";
    if (const ProcessState* p = lookup(instance)) return p->label;
    const ProcessState& main = std::as_const(processes).front();
    for (const auto& c : main.created)
        if (c.instance == instance) return c.label;
    return fmt::format("#{}", instance);
}

ProcessState* MemoryWorld::find(int instance) {
    for (size_t i = 0; i < processes.size(); ++i)
        if (std::as_const(processes)[i].instance == instance) return &processes.edit(i);
    return nullptr;
}

const ProcessState* MemoryWorld::lookup(int instance) const {
    for (const auto& p : processes)
        if (p.instance == instance) return &p;
    return nullptr;
}

std::string MemoryWorld::outcome_text() const {
    std::string out;
    for (size_t i = 0; i < program_->objects.size(); ++i) {
        const auto& o = program_->objects[i];
        switch (o.kind) {
            case ObjectKind::Value: out += fmt::format("{}.value = {}\n", o.name, cells[i][0]); break;
            case ObjectKind::Array: out += fmt::format("{} = [{}]\n", o.name, fmt::join(cells[i], ", ")); break;
            case ObjectKind::File:
                out += files[i].exists ? fmt::format("file {} = {:?}\n", o.file_name, files[i].content)
                                       : fmt::format("file {} absent\n", o.file_name);
                break;
            default: break;
        }
    }
    for (const auto& p : processes)
        if (!p.error.empty()) out += fmt::format("{} failed: {}\n", p.label, p.error);
    return out;
}

SimulationResult simulate(const Program& program, uint64_t seed, int64_t cpu_count, int max_steps) {
    SimulationResult result{MemoryWorld(program, cpu_count), false, {}};
    MemoryWorld& world = result.world;
    std::mt19937_64 rng(seed);
    DrawSource draws = [&](int, int, int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(rng); };
    for (int step = 0; step < max_steps; ++step) {
        std::vector<size_t> live;
        for (size_t i = 0; i < world.processes.size(); ++i) {
            run_locals(program, world.processes[i], world, draws);
            if (!world.processes[i].finished) live.push_back(i);
        }
        if (live.empty()) return result;
        // Try the live processes in a random order until one can move.
        std::shuffle(live.begin(), live.end(), rng);
        bool moved = false;
        for (size_t i : live) {
            Event ev{};
            // A signalled process ends by its signal at a step of its own (half the time, here).
            if (std::as_const(world.processes)[i].pending_signal && rng() % 2 == 0) {
                end_by_signal(world.processes[i], &ev);
                result.events.push_back(ev);
                moved = true;
                break;
            }
            // Copy: start() may grow the vector and move the state.
            ProcessState state = world.processes[i];
            StepResult o = execute_step(program, state, world, &ev);
            if (o == StepResult::Blocked) continue;
            world.processes[i] = std::move(state);
            result.events.push_back(ev);
            moved = true;
            break;
        }
        if (!moved) {
            result.deadlock = true;
            return result;
        }
    }
    result.deadlock = true;
    return result;
}

}  // namespace critsec::model
