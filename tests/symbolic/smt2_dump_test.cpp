// `critsec show --dump smt2` (z3_engine.hpp: encoding_smt2) against the engine it
// dumps: the script, evaluated by a fresh Z3 context that knows nothing of
// critsec, must answer each property's (check-sat-assuming (query_K)) as
// check_with_z3 decides it (sat: violated, unsat: proved). A dump that drifted
// from the encoding the checker solves would mislead whoever reads it.
#include <z3++.h>
#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include "checker/symbolic/symbolic_session.hpp"
#include "tests/spec_paths.hpp"

using namespace critsec;
using namespace critsec::checker;

namespace {

// "; query_3: deadlock" lines: the name of each literal, in order.
std::vector<std::string> query_names(const std::string& script) {
    std::vector<std::string> names;
    std::istringstream in(script);
    for (std::string line; std::getline(in, line);) {
        std::string prefix = "; query_" + std::to_string(names.size()) + ": ";
        if (line.rfind(prefix, 0) == 0) names.push_back(line.substr(prefix.size()));
    }
    return names;
}

// What a plain Z3 answers to the script, one word per (check-sat-assuming ...).
std::vector<std::string> answers_of(const std::string& script) {
    z3::context ctx;
    std::string out = Z3_eval_smtlib2_string(ctx, script.c_str());
    std::vector<std::string> words;
    std::istringstream in(out);
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

}  // namespace

TEST_CASE("the smt2 dump answers as the Z3 engine decides", "[smt2]") {
    auto spec = GENERATE(as<std::string>{}, "specs/tutorial/07_value_race.crit", "specs/tutorial/10_lock.crit",
                         "specs/coursework/two_lock_deadlock.crit", "specs/tutorial/11_semaphore.crit");
    INFO(spec);
    model::Program program = test::compile_ok(test::source_path(spec));
    CheckOptions options;
    options.bound = 4;
    std::string script = SymbolicSession(program, options).encoding_smt2();
    std::vector<PropertyResult> decided = SymbolicSession(program, options).check_with_z3();

    std::vector<std::string> names = query_names(script);
    std::vector<std::string> answers = answers_of(script);
    INFO(script.substr(0, 600));
    REQUIRE(!names.empty());
    REQUIRE(answers.size() == names.size());
    CHECK(script.find("(check-sat)\n") == std::string::npos);  // one ask per property, not one for all

    int compared = 0;
    for (size_t k = 0; k < names.size(); ++k) {
        for (const auto& r : decided) {
            if (r.name != names[k] || r.verdict == Verdict::Unknown) continue;
            INFO("query_" << k << ": " << names[k] << " decided " << verdict_name(r.verdict) << ", the script says " << answers[k]);
            CHECK(answers[k] == (r.verdict == Verdict::Violated ? "sat" : "unsat"));
            ++compared;
        }
    }
    CHECK(compared == static_cast<int>(names.size()));
}
