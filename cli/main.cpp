// critsec: find and prove the absence of races in critical sections.
// This file only wires the subcommands together.
#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "checker/symbolic/z3_version.hpp"
#include "cli/check_command.hpp"
#include "cli/compare_command.hpp"
#include "cli/exit_codes.hpp"
#include "cli/explore_command.hpp"
#include "cli/grade_command.hpp"
#include "cli/outcomes_command.hpp"
#include "cli/replay_command.hpp"
#include "cli/run_command.hpp"
#include "cli/show_command.hpp"
#include "cli/suite_command.hpp"
#include "critsec_version.hpp"
#include "model/diagnostic.hpp"

int main(int argc, char** argv) {
    using namespace critsec;
    CLI::App app{"critsec: find and prove the absence of races in critical sections"};
    app.require_subcommand(1);
    // Z3's version too: the linked library can change under critsec, and with it how
    // far a check gets before its timeout makes a verdict UNKNOWN.
    app.set_version_flag("-V,--version", fmt::format("critsec {}\nZ3 {}", CRITSEC_VERSION, checker::z3_version()));
    int exit_status = exit_code::ok;
    cli::add_show_command(app, exit_status);
    cli::add_check_command(app, exit_status);
    cli::add_outcomes_command(app, exit_status);
    cli::add_run_command(app, exit_status);
    cli::add_compare_command(app, exit_status);
    cli::add_replay_command(app, exit_status);
    cli::add_suite_command(app, exit_status);
    cli::add_explore_command(app, exit_status);
    cli::add_grade_command(app, exit_status);

    // CLI11 says only "not expected" for a misspelt subcommand: suggest the right one.
    if (argc > 1 && argv[1][0] != '-') {
        std::vector<std::string> names;
        for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
        if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
            std::string near = closest_name(argv[1], names);
            fmt::print(stderr, "critsec: unknown command '{}'{}\n", argv[1], near.empty() ? "" : fmt::format("; did you mean '{}'?", near));
            fmt::print(stderr, "usage: critsec <{}> [options] spec.crit   (critsec --help)\n", fmt::join(names, "|"));
            return exit_code::usage;
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        fmt::print(stderr, "usage: critsec <command> [options] spec.crit   (critsec --help)\n");
        return exit_code::usage;
    } catch (const std::bad_alloc&) {
        // Each engine stops at its memory budget first; this is an allocation the machine refused before it.
        fmt::print(stderr, "critsec: UNKNOWN: out of memory (lower the budget with --max-memory, or raise the limit: ulimit -v)\n");
        return exit_code::inconclusive;
    } catch (const std::system_error& e) {
        fmt::print(stderr, "critsec: the system refused: {}\n", e.what());
        return exit_code::os_error;
    } catch (const std::exception& e) {
        fmt::print(stderr, "critsec: internal error: {}\n", e.what());
        return exit_code::internal;
    }
    return exit_status;
}
