#pragma once
// A Z3 model of the encoding (encoder.hpp) replayed on the concrete step
// semantics (model::execute_step): the executed steps in timestamp order, the
// model's draws as the inputs. The Z3 engine reports a violation or an outcome
// only if its replay reaches it: the replay is the witness, and a model that
// does not replay is an encoding bug, said as such.
#include <z3++.h>

#include <string>
#include <vector>

#include "checker/symbolic/encoder.hpp"
#include "checker/verdict.hpp"
#include "model/memory_world.hpp"
#include "model/semantics.hpp"

namespace critsec::checker {

struct ReplayedModel {
    explicit ReplayedModel(const model::Program& p);
    bool ok = true;
    std::string mismatch;      // !ok: where the concrete run left the model's
    model::MemoryWorld world;  // after the last step, and the local code after it
    Witness witness;
    bool lost = false;        // a store overwrote another process's it never read
    std::string lost_detail;  // the first such
    model::DrawSource draws;  // the model's draws
};

// The value of an Int term in the model (0 where it has none within 64 bits).
int64_t int_in(const z3::model& m, const z3::expr& e);
bool true_in(const z3::model& m, const z3::expr& e);

ReplayedModel replay_model(const model::Program& program, const Encoding& enc, const z3::model& m);

// No process of the replay's last state can move (`stuck`: the unfinished ones, all blocked).
bool terminal_state(const model::Program& program, const ReplayedModel& r, std::vector<std::string>* stuck = nullptr);

}  // namespace critsec::checker
