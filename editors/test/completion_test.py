#!/usr/bin/env python3
"""Runs the generated bash completion (and the zsh one, where zsh is installed)
the way the shell does, and compares what it offers with what `critsec --help`
and `critsec CMD --help` print: every subcommand, every option of each, the
choices of an option that has them, and specs (.crit, .py) and folders as the
file argument. The lists here are read from the help text with simpler
patterns than editors/generate.py's, so a parse that drops an option fails.

usage: completion_test.py CRITSEC_BINARY COMPLETION_DIR   exit 0 passed, 1 failed
"""
import os, re, shutil, subprocess, sys, tempfile

binary, completion_dir = sys.argv[1], sys.argv[2]
fails = []


def help_of(*args):
    return subprocess.run([binary, *args, "--help"], capture_output=True, text=True, check=True).stdout


def section(text, title):
    return text.split(f"\n{title}:\n", 1)[1].split("\n\n", 1)[0] if f"\n{title}:\n" in text else ""


def options_in(text):
    """Every option name at the start of a line (-n,--runs UINT -> -n, --runs), in any section."""
    return {n for line in text.split("\n") if line.startswith("  -") for n in line.split()[0].split(",")}


top = help_of()
commands = re.findall(r"^  (\S+)", section(top, "Subcommands"), re.M)
if len(commands) < 7:
    fails.append(f"`critsec --help` lists {len(commands)} subcommands: {commands}")


def bash_complete(queries, cwd):
    """COMPREPLY for each command line (the last word is the one completed), as sets."""
    script = [f"source {os.path.join(completion_dir, 'critsec.bash')}"]
    for words in queries:
        quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
        script += [f"COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; COMPREPLY=(); _critsec",
                   'printf "%s\\n" "${COMPREPLY[@]}"; echo "-- end --"']
    r = subprocess.run(["bash", "--norc", "--noprofile", "-c", "\n".join(script)], capture_output=True, text=True, cwd=cwd)
    if r.returncode != 0 or r.stderr:
        fails.append(f"bash exited {r.returncode}: {r.stderr.strip()}")
    answers = r.stdout.split("-- end --\n")
    return [set(a.split("\n")) - {""} for a in answers[:len(queries)]]


def expect(what, got, want):
    if got != want:
        fails.append(f"{what}: offers {sorted(got)}, --help says {sorted(want)} "
                     f"(missing {sorted(want - got)}, extra {sorted(got - want)})")


with tempfile.TemporaryDirectory() as work:
    for name in ("race.crit", "prog.py", "notes.txt"):
        open(os.path.join(work, name), "w").close()
    os.mkdir(os.path.join(work, "specs"))

    queries = [["critsec", ""], ["critsec", "-"], ["critsec", "ch"], ["critsec", "check", ""], ["critsec", "suite", ""],
               ["critsec", "check", "--bound", ""], ["critsec", "run", "-n", "5", "race.crit", "--t"],
               ["critsec", "check", "--bound", "3", ""], ["critsec", "run", "race.crit", ""],
               ["critsec", "check", "race.crit", ""]]
    choices = []
    for c in commands:
        text = help_of(c)
        queries.append(["critsec", c, "-"])
        for names, values in re.findall(r"^  (-\S+) \w+:\{([^}]*)\}", text, re.M):
            for n in names.split(","):
                choices.append((c, n, set(values.split(","))))
                queries.append(["critsec", c, n, ""])
    answers = bash_complete(queries, work)
    expect("critsec <TAB>", answers[0], set(commands))
    expect("critsec -<TAB>", answers[1], options_in(top))
    expect("critsec ch<TAB>", answers[2], {c for c in commands if c.startswith("ch")})
    expect("critsec check <TAB> (specs and folders)", answers[3], {"race.crit", "prog.py", "specs"})
    expect("critsec suite <TAB> (specs and folders)", answers[4], {"race.crit", "prog.py", "specs"})
    expect("critsec check --bound <TAB> (a number)", answers[5], set())
    expect("critsec run ... --t<TAB>", answers[6], {o for o in options_in(help_of("run")) if o.startswith("--t")})
    expect("critsec check --bound 3 <TAB> (past an option's value)", answers[7], {"race.crit", "prog.py", "specs"})
    expect("critsec run race.crit <TAB> (its one positional given)", answers[8], set())
    expect("critsec check race.crit <TAB> (several specs)", answers[9], {"race.crit", "prog.py", "specs"})
    i = 10
    for c in commands:
        expect(f"critsec {c} -<TAB>", answers[i], options_in(help_of(c)))
        i += 1
        for cc, n, values in [x for x in choices if x[0] == c]:
            expect(f"critsec {c} {n} <TAB>", answers[i], values)
            i += 1
    if not choices:
        fails.append("no option with choices in any --help: the choices check checked nothing")

# zsh: the same questions of the generated _critsec, through an interactive zsh.
zsh = shutil.which("zsh")
zsh_asked = 0


def zsh_complete(line, cwd):
    global zsh_asked
    zsh_asked += 1
    r = subprocess.run([zsh, "-f", os.path.join(os.path.dirname(os.path.abspath(__file__)), "zsh_complete.zsh"),
                        completion_dir, line], capture_output=True, text=True, cwd=cwd, timeout=60)
    return set(re.findall(r"<<(.*?)>>", r.stdout))


if zsh:
    r = subprocess.run([zsh, "-n", os.path.join(completion_dir, "_critsec")], capture_output=True, text=True)
    if r.returncode != 0:
        fails.append(f"zsh -n _critsec: {r.stderr.strip()}")
    with tempfile.TemporaryDirectory() as work:
        for name in ("race.crit", "prog.py", "notes.txt"):
            open(os.path.join(work, name), "w").close()
        os.mkdir(os.path.join(work, "specs"))
        expect("zsh: critsec <TAB>", zsh_complete("critsec ", work), set(commands))
        expect("zsh: critsec -<TAB>", zsh_complete("critsec -", work), options_in(top))
        expect("zsh: critsec check <TAB>", zsh_complete("critsec check ", work), {"race.crit", "prog.py", "specs"})
        expect("zsh: critsec suite <TAB>", zsh_complete("critsec suite ", work), {"race.crit", "prog.py", "specs"})
        for c in commands:
            expect(f"zsh: critsec {c} -<TAB>", zsh_complete(f"critsec {c} -", work), options_in(help_of(c)))
        for c, n, values in choices[:2]:
            expect(f"zsh: critsec {c} {n} <TAB>", zsh_complete(f"critsec {c} {n} ", work), values)
else:
    print("completion_test: SKIPPED the zsh half: zsh is not installed (bash's completion was tested)")

for f in fails:
    print("FAIL", f)
print(f"{len(commands)} subcommands, {len(queries)} completions asked of bash, {zsh_asked} of zsh, {len(fails)} failures")
sys.exit(1 if fails else 0)
