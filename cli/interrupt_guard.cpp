#include "cli/interrupt_guard.hpp"

#include <csignal>

namespace critsec::cli {
namespace {

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_interrupt(int) { g_interrupted = 1; }

}  // namespace

InterruptGuard::InterruptGuard(std::initializer_list<int> signals) {
    g_interrupted = 0;
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    for (int s : signals) {
        Saved old{s, {}};
        ::sigaction(s, &sa, &old.action);
        saved_.push_back(old);
    }
}

InterruptGuard::~InterruptGuard() {
    for (const auto& old : saved_) ::sigaction(old.signal, &old.action, nullptr);
}

bool InterruptGuard::raised() { return g_interrupted != 0; }

}  // namespace critsec::cli
