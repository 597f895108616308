#include "cli/suite_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "cli/exit_codes.hpp"
#include "model/frontend.hpp"

namespace critsec::cli {

void add_suite_command(CLI::App& app, int& exit_status) {
    auto* cmd = app.add_subcommand("suite", "Run critsec over every spec of a folder (default: specs/tutorial)");
    auto dir = std::make_shared<std::string>("specs/tutorial");
    cmd->add_option("dir", *dir, "a folder of .crit specs");
    cmd->callback([=, &exit_status] {
        namespace fs = std::filesystem;
        std::error_code ec;
        if (!fs::is_directory(*dir, ec)) {
            fmt::print(stderr, "critsec: {} is not a folder\n", *dir);
            exit_status = exit_code::no_input;
            return;
        }
        std::vector<fs::path> specs;
        for (const auto& entry : fs::directory_iterator(*dir, ec))
            if (entry.path().extension() == ".crit") specs.push_back(entry.path());
        std::sort(specs.begin(), specs.end());
        fmt::print("{:<32} {:>9} {:>6} {:>7} {:>7}  {}\n", "spec", "processes", "steps", "objects", "asserts", "front end");
        int failures = 0;
        for (const auto& path : specs) {
            Compiled c = compile_file(path.string());
            if (!c.program) {
                ++failures;
                fmt::print("{:<32} {:>9} {:>6} {:>7} {:>7}  {} error(s)\n", path.filename().string(), "-", "-", "-", "-", c.diagnostics.size());
                fmt::print(stderr, "{}", render_all(c.source, c.diagnostics));
                continue;
            }
            const auto& p = *c.program;
            int steps = p.main.step_count;
            for (size_t i = 0; i < p.processes.size(); ++i) steps += p.processes[i].step_count * p.instances_per_process[i];
            fmt::print("{:<32} {:>9} {:>6} {:>7} {:>7}  ok\n", path.filename().string(), p.total_instances() + 1, steps,
                       p.objects.size(), p.asserts.size());
        }
        fmt::print("{} spec(s), {} with errors\n", specs.size(), failures);
        exit_status = failures ? exit_code::data_error : exit_code::ok;
    });
}

}  // namespace critsec::cli
