#pragma once
// A shell command's standard output and exit status, for the tests that run the binary.
#include <sys/wait.h>

#include <cstdio>
#include <memory>
#include <string>

namespace critsec::test {

struct CommandOutput {
    std::string out;
    int status = -1;  // the exit status; -1 when killed by a signal
};

inline CommandOutput command_output(const std::string& cmd) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
    CommandOutput r;
    char buf[4096];
    while (size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) r.out.append(buf, n);
    int raw = ::pclose(pipe.release());
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return r;
}

}  // namespace critsec::test
