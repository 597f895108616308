#include "compare/witness_schedule.hpp"

namespace critsec::compare {

runtime::ReplaySchedule schedule_of(const checker::Witness& w) {
    runtime::ReplaySchedule s;
    for (const auto& step : w.steps) s.turns.push_back(step.instance);
    for (const auto& d : w.draws) s.draws.push_back({d.instance, d.index, d.value});
    for (size_t k = 0; k < w.inputs.size(); ++k) {
        bool listed = false;
        for (const auto& d : w.draws) listed = listed || (d.instance == 0 && d.index == static_cast<int>(k));
        if (!listed) s.draws.push_back({0, static_cast<int>(k), w.inputs[k]});
    }
    return s;
}

}  // namespace critsec::compare
