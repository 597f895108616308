// The checker's searches copy states by the million, and on a kernel whose
// transparent huge pages are "madvise" (Debian's default) a third of their time
// went to page faults: jemalloc asks for huge pages for its arenas only when told
// to. Measured on 250 unlocked adders, `check` 0.40 -> 0.16 s and outcomes of 8
// adders 2.05 -> 1.45 s (bench/RESULTS.md). A user's MALLOC_CONF still applies on
// top; without jemalloc (glibc's malloc) nobody reads this symbol.
#include <cstring>

extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): jemalloc's documented hook
const char* malloc_conf = "thp:always,metadata_thp:always";
}

namespace {

// But `critsec run` forks a child per run, and each fork copies the page-table
// entries of every page the supervisor has mapped, which both then fault and copy
// again on their first writes: with huge pages, every 2 MiB jemalloc has touched
// is 512 entries (6.6 MiB of anonymous memory for 07, 1.0 MiB without), and a run
// cost 1.2x as much (bench/RESULTS.md, issue 16). So `run` goes without them. The
// choice must be made before the first allocation, which the shared libraries'
// constructors make: a function in the executable's .preinit_array runs before
// them, and glibc hands it main's arguments. (`run`'s checker hint, after the runs,
// is small by its budget.)
void no_huge_pages_for_run(int argc, char** argv, char**) {
    if (argc > 1 && std::strcmp(argv[1], "run") == 0) malloc_conf = "thp:default,metadata_thp:disabled";
}
__attribute__((section(".preinit_array"), used)) void (*const choose_malloc_conf)(int, char**, char**) = no_huge_pages_for_run;

}  // namespace
