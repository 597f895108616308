// The checker's searches copy states by the million, and on a kernel whose
// transparent huge pages are "madvise" (Debian's default) a third of their time
// went to page faults: jemalloc asks for huge pages for its arenas only when told
// to. Measured on 250 unlocked adders, `check` 0.40 -> 0.16 s and outcomes of 8
// adders 2.05 -> 1.45 s (bench/RESULTS.md). A user's MALLOC_CONF still applies on
// top; without jemalloc (glibc's malloc) nobody reads this symbol.
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): jemalloc's documented hook
const char* malloc_conf = "thp:always,metadata_thp:always";
}
