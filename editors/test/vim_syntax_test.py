#!/usr/bin/env python3
"""Opens every spec of specs/ (and editors/test/sample.crit) in vim with
editors/vim on its runtimepath, and checks the syntax group vim gives each
token: keywords and builtins their groups, strings, comments and claim lines
theirs, and that ftdetect names the filetype `crit`. Where a character is code,
string or comment is decided by a small lexer here, not by the syntax file.

usage: vim_syntax_test.py [spec.crit ...]   exit 0 passed, 1 failed, 77 skipped (no vim with +syntax)
"""
import os, re, shutil, subprocess, sys, tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORDS = {}
for words, group in [("if elif else", "critConditional"), ("for while in", "critRepeat"),
                     ("with as assert pass global break continue", "critStatement"), ("and or not", "critOperator"),
                     ("import from", "critInclude"), ("True False", "critBoolean"),
                     ("def class return None lambda", "critReserved"),
                     ("Value Array Lock RLock Semaphore BoundedSemaphore File", "critShared"),
                     ("randint range len int str bool abs min max list print sleep open pid parent_pid cpu_count process_name", "critBuiltin")]:
    for w in words.split():
        WORDS[w] = group
STRING_GROUPS = {"critString", "critFString", "critEscape", "critEscapeError", "critFBrace", "critFDelim"}


def lex(line):
    """The kind of each character of a line: 'code', 'string' or 'comment' (an f-string's braces hold code)."""
    kinds = ["code"] * len(line)

    def code(i, stop):
        while i < len(line):
            c = line[i]
            if c == stop:
                return i
            if c == "#" and stop is None:
                kinds[i:] = ["comment"] * (len(line) - i)
                return len(line)
            if c in "\"'":
                f = i > 0 and line[i - 1] in "fF" and not (i > 1 and (line[i - 2].isalnum() or line[i - 2] == "_"))
                if f:
                    kinds[i - 1] = "string"
                i = string(i, c, f)
                continue
            i += 1
        return i

    def string(i, quote, f):
        kinds[i] = "string"
        i += 1
        while i < len(line):
            c = line[i]
            if c == "\\":
                kinds[i:i + 2] = ["string"] * len(kinds[i:i + 2])
                i += 2
            elif c == quote:
                kinds[i] = "string"
                return i + 1
            elif f and line[i:i + 2] in ("{{", "}}"):
                kinds[i:i + 2] = ["string", "string"]
                i += 2
            elif f and c == "{":
                kinds[i] = "string"
                i = code(i + 1, "}")
                if i < len(line):
                    kinds[i] = "string"
                i += 1
            else:
                kinds[i] = "string"
                i += 1
        return i

    code(0, None)
    return kinds


def vim_groups(path):
    """{(line, byte column): group} and the filetype vim detected."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "groups")
        rtp = os.path.join(ROOT, "editors", "vim")
        subprocess.run(["vim", "-Es", "-N", "-u", "NONE", "-i", "NONE", "--cmd", f"set rtp^={rtp}",
                        "--cmd", "filetype on", "--cmd", "syntax on",
                        "-c", f"source {os.path.join(ROOT, 'editors', 'test', 'vim_syntax_dump.vim')}", "-c", "qa!", path],
                       env=dict(os.environ, CRIT_SYNTAX_OUT=out), stdin=subprocess.DEVNULL, timeout=60, check=False)
        lines = open(out, encoding="utf-8").read().split("\n")
    filetype = lines[0].split(" ", 1)[1] if lines and lines[0].startswith("filetype") else ""
    groups = {}
    for row in lines[1:]:
        if row:
            l, c, g = row.split("\t") if row.count("\t") == 2 else (*row.split("\t"), "")
            groups[(int(l), int(c))] = g
    return filetype, groups


def check(path, seen):
    fails = []
    rel = os.path.relpath(path, ROOT)
    filetype, groups = vim_groups(path)
    if filetype != "crit":
        fails.append(f"{rel}: filetype is '{filetype}', not crit (ftdetect/crit.vim)")
    for n, line in enumerate(open(path, encoding="utf-8").read().split("\n"), 1):
        def group(i):  # the group of the character at index i (vim counts bytes from 1)
            return groups.get((n, len(line[:i].encode("utf-8")) + 1), "")

        def fail(i, what):
            fails.append(f"{rel}:{n}:{i + 1}: {what} (vim: '{group(i)}') in: {line.strip()}")

        claim = re.match(r"^\s*#\s*(expect|fixed-inputs):", line)
        if claim:
            seen.add("claim")
            for i, ch in enumerate(line):
                if not ch.isspace() and not group(i).startswith("critClaim") and group(i) != "critVerdict":
                    fail(i, "a claim line's character outside the claim")
                    break
            if group(claim.start(1)) != "critClaimKey":
                fail(claim.start(1), f"`{claim.group(1)}:` not critClaimKey")
            for m in re.finditer(r"\b(PROVED|VIOLATED|BOUNDED|UNKNOWN)\b", line):
                seen.add("verdict")
                if group(m.start()) != "critVerdict":
                    fail(m.start(), "a verdict not critVerdict")
            continue
        kinds = lex(line)
        for i, ch in enumerate(line):
            if ch.isspace():
                continue
            if kinds[i] == "comment":
                seen.add("comment")
                if group(i) != "critComment":
                    fail(i, "comment text not critComment")
                    break
            elif kinds[i] == "string":
                seen.add("string")
                if group(i) not in STRING_GROUPS:
                    fail(i, "string text not a string group")
                    break
            elif group(i) in STRING_GROUPS | {"critComment"} and not (group(i) == "critFDelim" and ch in "{}"):
                fail(i, "code shown as string or comment")
                break
        for m in re.finditer(r"[^\W\d]\w*|\d[\d_]*", line):
            if kinds[m.start()] != "code":
                continue
            w = m.group()
            if w[0].isdigit():
                seen.add("number")
                if group(m.start()) != "critNumber":
                    fail(m.start(), f"`{w}` not critNumber")
            elif w in WORDS and not (m.start() > 0 and line[m.start() - 1] == "."):
                seen.add(WORDS[w])
                if group(m.start()) != WORDS[w]:
                    fail(m.start(), f"`{w}` not {WORDS[w]}")
        head = re.match(r"^process\s+(\w+)", line)
        if head:
            seen.add("process")
            if group(0) != "critProcessHead" or group(head.start(1)) != "critProcessName":
                fail(0, "process header not critProcessHead + critProcessName")
        if re.match(r"^main\s*:", line):
            seen.add("main")
            if group(0) != "critMain":
                fail(0, "`main` not critMain")
    return fails


def main():
    vim = shutil.which("vim")
    if not vim or "+syntax" not in subprocess.run([vim, "--version"], capture_output=True, text=True).stdout:
        print("vim_syntax_test: SKIPPED: no vim with +syntax (Debian: vim or vim-nox)")
        return 77
    if len(sys.argv) > 1:
        files = sys.argv[1:]
    else:
        files = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(ROOT, "specs")) for f in fs if f.endswith(".crit"))
        files.append(os.path.join(ROOT, "editors", "test", "sample.crit"))
    seen, fails = set(), []
    for f in files:
        fails += check(os.path.abspath(f), seen)
    if len(sys.argv) == 1:
        for kind in ["claim", "verdict", "comment", "string", "number", "process", "main", "critRepeat", "critShared", "critBuiltin"]:
            if kind not in seen:
                fails.append(f"no {kind} in any spec: that check checked nothing")
    for f in fails:
        print("FAIL", f)
    print(f"{len(files)} specs opened in vim, {len(fails)} failures")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
