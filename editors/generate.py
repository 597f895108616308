#!/usr/bin/env python3
"""Writes critsec's shell completions and the man page's command sections from
what the binary says of itself, so that they follow every subcommand and
option as it is added: `critsec --help` lists the subcommands, `critsec CMD
--help` each one's positionals and options (CLI11's format), and
cli/exit_codes.hpp the exit codes. Run by the build (editors/CMakeLists.txt).

usage: generate.py CRITSEC_BINARY SOURCE_DIR COMPLETION_DIR MAN_INCLUDE
writes COMPLETION_DIR/critsec.bash, COMPLETION_DIR/_critsec, and MAN_INCLUDE (help2man's
include file of the COMMANDS and EXIT STATUS sections)
"""
import os, re, subprocess, sys

OPTION_LINE = re.compile(r"^  (-\S+)(.*)$")
TYPE = re.compile(r"^([A-Z]+)\b(?::(\{[^}]*\}|[A-Z]+(?: in \[[^]]*\])?))?(?:=(\S+))?")


def run_help(binary, *args):
    r = subprocess.run([binary, *args, "--help"], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        sys.exit(f"generate.py: `critsec {' '.join(args)} --help` exited {r.returncode}: {r.stderr}")
    return r.stdout


def sections(text):
    """{section title: [lines]} of a CLI11 help text, plus the lines before any section under ''."""
    out, current = {"": []}, ""
    for line in text.split("\n"):
        m = re.match(r"^(\w[\w ]*):$", line)
        if m:
            current = m.group(1)
            out[current] = []
        else:
            out[current].append(line)
    return out


def parse_items(lines, positional):
    """[{names, type, choices, default, description}] of a Positionals: or Options: section.
    An item's description follows its names and type after two spaces, or on the next line."""
    items = []
    for line in lines:
        if not line.strip():
            continue
        m = OPTION_LINE.match(line) if not positional else re.match(r"^  (\w\S*)(.*)$", line)
        if m:
            # A type follows the names after one space; the description comes after two or more.
            rest = m.group(2)
            if rest.startswith("  ") or not rest:
                head, description = "", rest.strip()
            else:
                head, _, description = rest[1:].partition("  ")
            t = TYPE.match(head.strip()) if head.strip() else None
            choices = []
            if t and t.group(2) and t.group(2).startswith("{"):
                choices = t.group(2)[1:-1].split(",")
            items.append({"names": m.group(1).split(","), "type": t.group(1) if t else "",
                          "choices": choices, "default": (t.group(3) or "") if t else "",
                          "spec": head.strip(), "description": description.strip()})
        elif items and line.startswith("      "):
            items[-1]["description"] = (items[-1]["description"] + " " + line.strip()).strip()
    return items


def read_cli(binary):
    top = sections(run_help(binary))
    commands = []
    for line in top.get("Subcommands", []):
        m = re.match(r"^  (\S+)\s+(.*)$", line)
        if m:
            s = sections(run_help(binary, m.group(1)))
            commands.append({"name": m.group(1), "description": m.group(2).strip(),
                             "usage": next((l for l in s[""] if l.startswith("Usage:")), ""),
                             "positionals": parse_items(s.get("Positionals", []), True),
                             "options": options_of(s)})
    return {"options": options_of(top), "commands": commands}


def options_of(help_sections):
    """The options of every section but the positionals and subcommands: CLI11 lists an
    option put in a group under the group's name, not under Options:."""
    return [o for title, lines in help_sections.items() if title not in ("", "Positionals", "Subcommands")
            for o in parse_items(lines, False)]


def value_kind(option):
    """What completes an option's value: 'choices', 'files', or 'none' (a number, a free text)."""
    if option["choices"]:
        return "choices"
    if option["type"] in ("", "INT", "UINT", "FLOAT"):
        return "none"
    if "--output" in option["names"] or re.search(r"\b(file|path|folder)\b", option["description"], re.I):
        return "files"
    return "none"


def positional_kind(positional):
    """What completes a positional, by its help: 'dirs' (a folder of specs), 'specs' (.crit and
    .py files, and folders to go into), or 'any' (any file or folder: a grading file, say)."""
    text = positional["description"]
    if re.search(r"\b(folder|directory)\b", text, re.I) and not re.search(r"\bfiles?\b", text, re.I):
        return "dirs"
    return "specs" if re.search(r"\.(crit|py)\b|\bspecs?\b", text) else "any"


# --- bash ---------------------------------------------------------------------------------------

def bash(cli, template):
    cases, choices = [], []
    for c in cli["commands"]:
        names = [n for o in c["options"] for n in o["names"]]
        valued = [n for o in c["options"] if o["type"] for n in o["names"]]
        files = [n for o in c["options"] if value_kind(o) == "files" for n in o["names"]]
        kinds = " ".join(positional_kind(p) for p in c["positionals"]) or "none"
        variadic = 1 if c["positionals"] and "..." in c["positionals"][-1]["spec"] else 0
        cases.append(f'        {c["name"]}) options="{" ".join(names)}"; valued="{" ".join(valued)}"; '
                     f'file_valued="{" ".join(files)}"; positionals="{kinds}"; variadic={variadic} ;;')
        for o in c["options"]:
            if o["choices"]:
                pattern = "|".join(f'"{c["name"]} {n}"' for n in o["names"])
                choices.append(f'        {pattern}) choices="{" ".join(o["choices"])}" ;;')
    top = [n for o in cli["options"] for n in o["names"]]
    return (template.replace("@COMMANDS@", " ".join(c["name"] for c in cli["commands"]))
            .replace("@TOP_OPTIONS@", " ".join(top))
            .replace("@COMMAND_CASES@", "\n".join(cases))
            .replace("@CHOICE_CASES@", "\n".join(choices)))


# --- zsh ----------------------------------------------------------------------------------------

def zsh_quote(text, colons=False):
    """Text for inside a single-quoted _arguments spec: ' closed and reopened, brackets escaped
    (and colons, where a colon would end the field: in a message)."""
    text = text.replace("\\", "\\\\").replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]")
    return text.replace(":", "\\:") if colons else text


def zsh_option(o):
    names = o["names"]
    exclusive = f"({' '.join(names)})" if len(names) > 1 else ""
    spelled = "{" + ",".join(names) + "}" if len(names) > 1 else names[0]
    spec = f"[{zsh_quote(o['description'] or o['spec'])}]"
    kind = value_kind(o)
    if o["type"]:
        message = zsh_quote(o["type"].lower(), colons=True)
        spec += {"choices": f":{message}:({' '.join(o['choices'])})",
                 "files": f":{message}:_files"}.get(kind, f":{message}: ")
    if len(names) > 1:
        return f"'{exclusive}'{spelled}'{spec}'"
    return f"'{spelled}{spec}'"


def zsh(cli, template):
    described = [f"'{c['name']}:{zsh_quote(c['description'])}'" for c in cli["commands"]]
    cases = []
    for c in cli["commands"]:
        specs = [zsh_option(o) for o in c["options"]]
        for i, p in enumerate(c["positionals"], 1):
            action = {"dirs": "_files -/", "any": "_files"}.get(positional_kind(p), "_files -g '*.(crit|py)(-.)'")
            action = action.replace("'", "'\\''")
            position = "*" if "..." in p["spec"] else str(i)  # a variadic last positional repeats
            specs.append(f"'{position}:{zsh_quote(p['description'], colons=True)}:{action}'")
        body = " \\\n                ".join(specs)
        cases.append(f"            {c['name']})\n                _arguments -s \\\n                {body}\n                ;;")
    # --help and --version, before a subcommand: each excludes everything else.
    top = [f"'(- *)'{{{','.join(o['names'])}}}'[{zsh_quote(o['description'])}]'" if len(o["names"]) > 1
           else f"'(- *){o['names'][0]}[{zsh_quote(o['description'])}]'" for o in cli["options"]]
    return (template.replace("@TOP_OPTIONS@", " \\\n        ".join(top))
            .replace("@COMMANDS@", "\n        ".join(described))
            .replace("@COMMAND_CASES@", "\n".join(cases)))


# --- man page ---------------------------------------------------------------------------------

def roff(text):
    """Plain text for a roff line: backslashes and hyphens escaped, a leading . or ' made literal."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text[:1] in (".", "'") else text


def man(cli, exit_codes):
    out = ["[COMMANDS]"]
    for c in cli["commands"]:
        usage = c["usage"].replace("Usage:", "").strip()
        usage = re.sub(r"^\S*critsec", "critsec", usage)
        out += [f'.SS "{c["name"]}"', roff(c["description"]) + ".", ".PP", f"\\fB{roff(usage)}\\fR"]
        for p in c["positionals"]:
            out += [".TP", f"\\fI{roff(p['names'][0])}\\fR", roff(p["description"])]
        for o in c["options"]:
            if o["names"] == ["-h", "--help"]:
                continue
            spelled = ", ".join(f"\\fB{roff(n)}\\fR" for n in o["names"])
            value = f" \\fI{roff(o['spec'])}\\fR" if o["spec"] else ""
            out += [".TP", spelled + value, roff(o["description"])]
    out += ["", "[EXIT STATUS]"]
    for code, meaning in exit_codes:
        out += [".TP", f"\\fB{code}\\fR", roff(meaning)]
    return "\n".join(out) + "\n"


def read_exit_codes(source_dir):
    """[(code, meaning)] from cli/exit_codes.hpp's `inline constexpr int name = N;  // meaning` lines."""
    codes = []
    for line in open(os.path.join(source_dir, "cli", "exit_codes.hpp"), encoding="utf-8"):
        m = re.match(r"^\s*inline constexpr int \w+ = (\d+);\s*//\s*(?:EX_\w+:\s*)?(.*)$", line)
        if m:
            codes.append((int(m.group(1)), m.group(2).strip()))
    if not codes:
        sys.exit("generate.py: no exit code found in cli/exit_codes.hpp")
    return codes


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    binary, source_dir, out_dir, man_include = sys.argv[1:]
    cli = read_cli(binary)
    if not cli["commands"]:
        sys.exit("generate.py: `critsec --help` listed no subcommand")
    here = os.path.join(source_dir, "editors", "completion")
    os.makedirs(out_dir, exist_ok=True)
    outputs = {
        "critsec.bash": bash(cli, open(os.path.join(here, "critsec.bash.in"), encoding="utf-8").read()),
        "_critsec": zsh(cli, open(os.path.join(here, "_critsec.in"), encoding="utf-8").read()),
        man_include: man(cli, read_exit_codes(source_dir)),
    }
    for name, text in outputs.items():
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:  # an absolute name stays itself
            f.write(text)


if __name__ == "__main__":
    main()
