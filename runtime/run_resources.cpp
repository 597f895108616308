#include "runtime/run_resources.hpp"

#include <unistd.h>

namespace critsec::runtime {

int checked_instance_count(const model::Program& program, int max_processes) {
    int n = program.total_instances() + 1;
    if (n > max_processes)
        throw SpecRefused("the spec starts " + std::to_string(n - 1) + " processes besides main; the cap is " +
                          std::to_string(max_processes - 1) + " (--max-procs)");
    return n;
}

void check_file_names(const model::Program& program) {
    for (const auto& obj : program.objects) {
        if (obj.kind != model::ObjectKind::File) continue;
        std::string problem = file_name_problem(obj.file_name);
        if (!problem.empty()) throw SpecRefused("File(\"" + obj.file_name + "\"): " + problem);
    }
}

RunResources::RunResources(const model::Program& program_, RunOptions options_, size_t state_bytes)
    : program(program_),
      options(std::move(options_)),
      arena(program, checked_instance_count(program, options.max_processes), options.event_capacity, state_bytes),
      sandbox((check_file_names(program), program.objects), options.keep_files) {  // names checked before mkdtemp
    arena.header().shell_pid.store(::getppid());
    arena.header().main_pid.store(::getpid());
}

}  // namespace critsec::runtime
