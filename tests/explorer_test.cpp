// The explicit-state explorer on small specs and on the tutorial.
#include <catch2/catch.hpp>

#include "checker/explorer.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;
using namespace critsec::checker;

namespace {

ExploreReport explore_spec(const model::Program& program, std::optional<std::vector<int64_t>> inputs = std::nullopt) {
    PreparedProgram prepared = prepare(program);
    ExploreOptions options;
    options.draws.main_inputs = std::move(inputs);
    return explore(prepared, options);
}

}  // namespace

TEST_CASE("explorer: 07 with fixed inputs reaches every distinct subset sum") {
    auto program = test::compile_ok(test::tutorial_spec("07_value_race.crit"));
    auto r = explore_spec(program, std::vector<int64_t>{1, 1, 1, 2, 1, 4, 1, 8, 8, 9});
    INFO(r.states << " states " << r.incomplete);
    CHECK(r.complete);
    CHECK(r.lost_update);
    // {2,3,5,9,17} has 25 distinct subset sums (2+3 == 5, ...), each a reachable total.
    CHECK(r.outcomes.size() == 25);
    WARN(r.states << " states, " << r.transitions << " transitions");
}
