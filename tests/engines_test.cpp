// checker/engines: how the verdicts of one kind of property read as one (the
// suite's columns). The engines themselves are tested by the specs they decide
// (explorer_test, induction_test, racy_check_test, golden_specs_test).
#include <catch2/catch.hpp>

#include "checker/engines.hpp"

using namespace critsec;
using checker::PropertyKind;
using checker::Verdict;

namespace {

checker::SpecCheck check_of(std::vector<std::pair<PropertyKind, Verdict>> verdicts) {
    checker::SpecCheck c;
    for (auto [kind, verdict] : verdicts) {
        checker::PropertyResult r{};
        r.kind = kind;
        r.verdict = verdict;
        c.properties.push_back(r);
    }
    return c;
}

}  // namespace

TEST_CASE("engines: the verdict of a kind of property is VIOLATED if one is, else not PROVED if one is not", "[engines]") {
    auto c = check_of({{PropertyKind::Assert, Verdict::Proved},
                       {PropertyKind::Assert, Verdict::Unknown},
                       {PropertyKind::Assert, Verdict::Violated},
                       {PropertyKind::Assert, Verdict::Bounded},
                       {PropertyKind::LostUpdate, Verdict::Proved},
                       {PropertyKind::RuntimeError, Verdict::Proved},
                       {PropertyKind::RuntimeError, Verdict::Bounded}});
    CHECK(checker::verdict_of_kind(c, PropertyKind::Assert) == Verdict::Violated);
    CHECK(checker::verdict_of_kind(c, PropertyKind::LostUpdate) == Verdict::Proved);
    CHECK(checker::verdict_of_kind(c, PropertyKind::RuntimeError) == Verdict::Bounded);
    CHECK_FALSE(checker::verdict_of_kind(c, PropertyKind::Deadlock).has_value());
}
