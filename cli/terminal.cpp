#include "cli/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

namespace critsec::cli {
namespace {

constexpr size_t kDefaultWidth = 100;  // not a terminal: a log, a pipe, a test
constexpr size_t kNarrowest = 40;      // below this no chart reads well: draw for 40 and let the terminal wrap

size_t width_of_stdout() {
    if (const char* columns = std::getenv("COLUMNS")) {
        char* end = nullptr;
        long n = std::strtol(columns, &end, 10);
        if (end != columns && *end == '\0' && n > 0) return std::max<size_t>(kNarrowest, std::min<long>(n, 1000));
    }
    winsize size{};
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return std::max<size_t>(kNarrowest, size.ws_col);
    return kDefaultWidth;
}

}  // namespace

void add_color_option(CLI::App* cmd, std::string& choice) {
    cmd->add_option("--color", choice, "colour the verdicts and the marked steps: auto (on a terminal, unless NO_COLOR is set), always, never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
}

chart::Layout terminal_layout(const std::string& color_choice) {
    chart::Layout layout;
    layout.width = width_of_stdout();
    const char* no_color = std::getenv("NO_COLOR");
    bool automatic = isatty(STDOUT_FILENO) && !(no_color && *no_color);
    layout.palette.on = color_choice == "always" || (color_choice == "auto" && automatic);
    return layout;
}

}  // namespace critsec::cli
