#include "grading/forbidden_constructs.hpp"

#include <fmt/format.h>

#include <variant>
#include <vector>

namespace critsec::grading {
namespace {

// The instructions control can go to from `pc` (one past the end: main is done).
std::vector<int> successors(const model::ProcessTemplate& code, int pc) {
    const auto& node = code.code[pc].node;
    if (const auto* b = std::get_if<model::Branch>(&node)) return {pc + 1, b->if_false};
    if (const auto* j = std::get_if<model::Jump>(&node)) return {j->target};
    return {pc + 1};
}

// The first Start reachable from `from` (not counting `from` itself), or -1.
int start_after(const model::ProcessTemplate& code, int from) {
    int n = static_cast<int>(code.code.size());
    std::vector<char> seen(static_cast<size_t>(n), 0);
    std::vector<int> todo = successors(code, from);
    while (!todo.empty()) {
        int pc = todo.back();
        todo.pop_back();
        if (pc < 0 || pc >= n || seen[pc]) continue;
        seen[pc] = 1;
        if (std::holds_alternative<model::Start>(code.code[pc].node)) return pc;
        for (int next : successors(code, pc)) todo.push_back(next);
    }
    return -1;
}

}  // namespace

std::optional<std::string> find_construct(const model::Program& program, Construct construct) {
    switch (construct) {
        case Construct::JoinBeforeStart: {
            const model::ProcessTemplate& main = program.main;
            for (int pc = 0; pc < static_cast<int>(main.code.size()); ++pc) {
                if (!std::holds_alternative<model::Join>(main.code[pc].node)) continue;
                int start = start_after(main, pc);
                if (start >= 0)
                    return fmt::format("main joins a process at line {} and may start another after it, at line {}: the processes run one at a time",
                                       main.code[pc].loc.line, main.code[start].loc.line);
            }
            return std::nullopt;
        }
        case Construct::Locks:
            for (const auto& o : program.objects)
                if (o.kind == model::ObjectKind::Lock || o.kind == model::ObjectKind::Semaphore)
                    return fmt::format("`{}` at line {} is a {}: this exercise builds mutual exclusion without one", o.name, o.loc.line,
                                       o.kind == model::ObjectKind::Lock ? "Lock" : "Semaphore");
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace critsec::grading
