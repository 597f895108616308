#pragma once
// The program as the explorer runs it: the lowered model with one no-op step
// (a `sleep 0` marker) before every back edge of a `while`, so that each loop
// iteration is visible between two steps and can be counted against the bound,
// and the static facts the explorer needs per instruction: which locals are
// live (dead ones are cleared so that states that differ only in them merge),
// which loads feed a read-modify-write (the lost-update pattern), and which
// randint draws only ever feed `sleep` (their value changes nothing).
//
// Nothing here gives an instruction a meaning: steps still run through
// model::execute_step / model::run_locals.
#include <string>
#include <vector>

#include "model/program.hpp"

namespace critsec::checker {

// A `while` loop of one template, in the prepared program's pcs.
struct LoopInfo {
    int head;  // the condition's branch
    int end;   // the marker before the loop's back edge: the body is [head, end]
};

struct TemplateFacts {
    std::vector<int> original_pc;  // by prepared pc; -1 for a marker
    std::vector<int> marker_loop;  // by prepared pc: the loop a marker closes an iteration of, or -1
    std::vector<LoopInfo> loops;
    std::vector<std::vector<int>> dead;  // by prepared pc: local slots never read again before written
    // by prepared pc: live locals whose values only reach prints and sleeps that
    // cannot fail; where no one watches this template's prints they do not tell states apart
    std::vector<std::vector<int>> quiet;
    std::vector<std::vector<char>> quiet_mask;  // the same, by pc then slot
    std::vector<char> draw_ahead;               // by pc: local code from here may draw before the next step
    std::vector<int> tracked_load;              // by prepared pc: index of a load some store was computed from, or -1
    int tracked_loads = 0;
    std::vector<std::vector<int>> dead_loads;  // by prepared pc: tracked loads no store reachable from here reads from
    std::vector<char> sleep_only_draw;         // by prepared pc: a Draw whose value only feeds sleep (low >= 0)
};

struct PreparedProgram {
    const model::Program* original = nullptr;
    model::Program program;            // with the loop markers
    std::vector<TemplateFacts> facts;  // by template: 0 is main, k+1 is processes[k]

    static int index_of(int process) { return process + 1; }
    const TemplateFacts& of(int process) const { return facts[index_of(process)]; }
    const model::ProcessTemplate& code(int process) const { return process < 0 ? program.main : program.processes[process]; }
};

PreparedProgram prepare(const model::Program& program);

// What a loop's body writes, as the spec names it (`n.value`, `arr[...]`, a file,
// locals and globals; not the compiler's temporaries): where its states meet no end,
// what may be growing.
std::vector<std::string> loop_writes(const model::Program& program, const model::ProcessTemplate& code, const LoopInfo& loop);

// Every local slot an expression reads (globals are not listed).
void local_reads(const model::Expr& e, std::vector<int>& out);

}  // namespace critsec::checker
