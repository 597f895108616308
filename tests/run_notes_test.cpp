// `critsec run` on a racy spec whose default runs show nothing: the notes under the
// histogram say what the checker finds (the assert broken, the update lost) and what
// shows it, and the coverage line says how many predicted outcomes were seen; the
// exit code still says what the runs did (0).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <string>

#include "tests/command_output.hpp"
#include "tests/spec_paths.hpp"

namespace {

using Ran = critsec::test::CommandOutput;

// Run from the spec's folder, so that the output names it the same wherever the checkout is.
Ran run_in(const std::string& folder, const std::string& args) {
    return critsec::test::command_output(fmt::format("cd '{}' && COLUMNS=100 '{}' {} 2>/dev/null", folder, CRITSEC_BINARY, args));
}

// What follows the histogram's `Seed ...` line.
std::string after_seed_line(const std::string& out) {
    size_t seed = out.find("\nSeed ");
    if (seed == std::string::npos) return "";
    size_t end = out.find('\n', seed + 1);
    return end == std::string::npos ? "" : out.substr(end + 1);
}

}  // namespace

TEST_CASE("run: a racy spec whose runs all passed is told what the checker finds, and the coverage", "[runtime][cli]") {
    Ran r = run_in(critsec::test::source_path("specs/coursework"), "run bank_nolock.crit -n 20");
    INFO(r.out);
    // A run the default way may, rarely, show the race (1 in 20 under ASan, seen in CI):
    // it then failed (exit 1), and there is no note to pin.
    if (r.out.find("holds Always (failed in 0 of 20 runs)") == std::string::npos) {
        CHECK(r.status == 1);
        return;
    }
    CHECK(r.status == 0);  // the notes do not change what the exit code says: no run failed
    CHECK(after_seed_line(r.out) ==
          "note: none of these 20 runs broke the assert at line 31, but some interleaving does (error: AssertionError: the bank "
          "lost track of money)\n"
          "note: none of these 20 runs lost an update, but some interleaving does (Deposit#1's store balance.value = 150 was "
          "computed from a stale read (line 19): another process wrote it in between)\n"
          "      see it: critsec check bank_nolock.crit; force it on real processes: critsec replay bank_nolock.crit --property "
          "assert@31; make such races show: --perturb random\n"
          "coverage: 1 of the 3 outcomes the checker predicts were seen (which: critsec compare bank_nolock.crit -n 20)\n");
}

TEST_CASE("run: once the runs show the race there is no note, and a correct spec has its whole coverage", "[runtime][cli]") {
    Ran racy = run_in(critsec::test::source_path("specs/coursework"), "run bank_nolock.crit -n 200 --perturb yield");
    INFO(racy.out);
    // Here a lost update is a broken assert: a run that showed one failed (exit 1), and then nothing is unseen.
    if (racy.out.find("holds Always") == std::string::npos) {
        CHECK(racy.status == 1);
        CHECK(racy.out.find("note:") == std::string::npos);
    }

    Ran locked = run_in(critsec::test::source_path("specs/tutorial"), "run 03_join.crit -n 5 --time-scale 0.001");
    INFO(locked.out);
    CHECK(locked.status == 0);
    CHECK(after_seed_line(locked.out) == "coverage: 1 of the 1 outcomes the checker predicts were seen\n");
}
