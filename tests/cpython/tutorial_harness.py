"""Runs a tutorial program under CPython many times and reports, per run, what
critsec's outcomes describe: every line main printed, in order (the lines an
outcome lists), main's failure, the children's
failures, and the randint draws main made.

One JSON object per run on stdout. randint is patched before the program is
imported (it does `from random import randint`):
  --main-draws "3 4 ..."   main's draws, in order (otherwise real draws, recorded)
  --child-draws "7 2 ..."  the first draw of the k-th Process created (otherwise real)
sleep() is scaled by --sleep-scale so that runs take milliseconds; it changes
timing only, which the model covers whole.
"""
import argparse
import builtins
import contextlib
import io
import json
import multiprocessing
import multiprocessing.process
import os
import random
import re
import runpy
import sys
import tempfile
import time
import traceback


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("program")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--main-draws", default="")
    ap.add_argument("--child-draws", default="")
    ap.add_argument("--sleep-scale", type=float, default=0.01)
    args = ap.parse_args()
    program = os.path.abspath(args.program)
    forced_main = [int(x) for x in args.main_draws.split()]
    forced_child = [int(x) for x in args.child_draws.split()]
    real_randint = random.randint
    real_sleep = time.sleep
    main_pid = os.getpid()
    state = {"main_draws": [], "child_draws_taken": 0}

    def randint(a, b):
        if os.getpid() == main_pid:
            k = len(state["main_draws"])
            v = forced_main[k] if k < len(forced_main) else real_randint(a, b)
            state["main_draws"].append(v)
            return v
        identity = multiprocessing.process.current_process()._identity
        k = identity[-1] - 1 if identity else -1
        if state["child_draws_taken"] == 0 and 0 <= k < len(forced_child):
            state["child_draws_taken"] += 1
            return forced_child[k]
        return real_randint(a, b)

    random.randint = randint
    time.sleep = lambda s: real_sleep(s * args.sleep_scale)

    # Every line main prints is part of critsec's outcomes, in main's order; its
    # place among the children's lines is timing, and is not.
    real_print = builtins.print
    tail = []

    def print_(*a, **kw):
        if os.getpid() != main_pid or kw.get("file") not in (None, sys.stdout):
            return real_print(*a, **kw)
        text = io.StringIO()
        real_print(*a, **{**kw, "file": text})
        tail.extend(text.getvalue().rstrip("\n").split("\n"))

    builtins.print = print_

    for _ in range(args.runs):
        state["main_draws"] = []
        state["child_draws_taken"] = 0
        tail.clear()
        multiprocessing.process._process_counter = __import__("itertools").count(1)
        out, err = io.StringIO(), tempfile.TemporaryFile(mode="w+")  # out: the children's prints, dropped
        main_failure = None
        with tempfile.TemporaryDirectory() as folder:
            os.chdir(folder)
            # Children write their tracebacks to fd 2: send it to a file we read back.
            saved_err = os.dup(2)
            os.dup2(err.fileno(), 2)
            try:
                with contextlib.redirect_stdout(out):
                    runpy.run_path(program, run_name="__main__")
            except Exception as e:  # noqa: BLE001 - main's failure is an outcome
                main_failure = f"{type(e).__name__}: {e}"
            finally:
                sys.stderr.flush()
                os.dup2(saved_err, 2)
                os.close(saved_err)
                os.chdir("/")
        err.seek(0)
        child_failures = sorted(m.group(0) for m in re.finditer(r"^\w+Error: .*$", err.read(), re.M))
        lines = [l.replace(str(main_pid), "main") for l in tail]
        real_print(json.dumps({"main_draws": state["main_draws"], "main_prints": lines,
                          "main_failure": main_failure, "child_failures": child_failures}), flush=True)


if __name__ == "__main__":
    main()
