// `critsec run` alone, for the benchmarks while (or wherever) the full critsec binary is not built.
#include <CLI/CLI.hpp>
#include "cli/run_command.hpp"
int main(int argc, char** argv) {
    CLI::App app{"scratch"};
    int status = 0;
    critsec::cli::add_run_command(app, status);
    app.require_subcommand(1);
    CLI11_PARSE(app, argc, argv);
    return status;
}
