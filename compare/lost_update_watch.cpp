#include "compare/lost_update_watch.hpp"

#include <fmt/format.h>

#include <variant>

namespace critsec::compare {

void LostUpdateWatch::step(const model::Program& program, const model::ProcessState& process, bool read_under_way, int pc,
                           const std::string& what, const std::vector<checker::Access>& accesses) {
    const auto& code = model::template_of(program, process).code;
    if (pc < 0 || pc >= static_cast<int>(code.size())) return;
    const std::vector<int>* read_from = nullptr;
    if (const auto* s = std::get_if<model::Store>(&code[pc].node)) read_from = &s->read_from;
    if (const auto* w = std::get_if<model::FileWrite>(&code[pc].node)) read_from = &w->read_from;
    for (const auto& a : accesses) {
        if (!a.write || !read_from || !found_.empty()) continue;
        for (int rf : *read_from) {
            auto it = reads_.find({process.instance, rf});
            if (it == reads_.end() || it->second.object != a.object || it->second.cell != a.cell || !it->second.stale) continue;
            found_ = fmt::format("{}'s {} was computed from a stale read (line {}): another process wrote it in between", process.label,
                                 what, code[rf].loc.line);
            break;
        }
    }
    // A file read is several steps; what it returns dates from its first bytes (or its
    // first size sample): a write after those is one it may have missed.
    for (const auto& a : accesses) {
        if (!a.write && !read_under_way) reads_[{process.instance, pc}] = Read{a.object, a.cell, false};
        if (!a.write) continue;
        for (auto& [key, read] : reads_)
            if (key.first != process.instance && read.object == a.object && read.cell == a.cell) read.stale = true;
    }
}

}  // namespace critsec::compare
