#pragma once
// Which verdicts the randint inputs can change. A draw taints what is computed
// from it (locals, a child's parameters, plain globals, shared cells and files
// it is stored in); when no tainted value reaches a branch, an index, a seek,
// a sleep, an operation that can fail (int(), a division, a subscript) or an
// assert followed by steps that can affect another process, every input vector
// gives the same interleavings, so one input vector decides the ordering
// properties (lost update, deadlock, the watches) for all of them. An assert
// whose condition is tainted needs every input (or the Z3 engine).
//
// Not covered: 64-bit overflow of arithmetic on inputs (ints in the tutorial's
// ranges never come near it).
#include <string>
#include <vector>

#include "checker/explorer/prepared_program.hpp"

namespace critsec::checker {

struct InputDependence {
    bool any_draws = false;         // some relevant draw exists (sleep-only draws are not)
    bool control = false;           // inputs can change which steps run, in what order they may run
    bool failures = false;          // inputs can change whether some process fails
    std::vector<char> assert_cond;  // by assert id: the condition depends on inputs
    std::string why;                // the first place inputs reach control or a failure
};

InputDependence analyse_inputs(const PreparedProgram& prepared);

}  // namespace critsec::checker
