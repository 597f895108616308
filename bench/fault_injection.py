#!/usr/bin/env python3
"""Fault injection at scale for `critsec run` / `critsec compare` (issue 12).

    python3 bench/fault_injection.py BINARY TRIALS SEED [--max-seconds S] [--log FILE]

Not part of CI's default path. Each trial starts one `critsec run` (fork per run,
or `--reuse` litmus mode) or `critsec compare` on a spec of specs/tutorial or
specs/coursework, waits a random delay, then sends one signal to critsec itself,
to the idle anchor leading the run's process group, or to one of the spec's
children (found through /proc: the ppid chain from critsec):

    SIGKILL | SIGINT | SIGTERM | SIGSTOP then, after a random pause, SIGCONT or SIGKILL

and waits for critsec to end (--hang-after, 30 s, against the runs' cap
--max-run-time 3 s passed to critsec: past it the trial is a hang,
and critsec and its tree are SIGKILLed). Then it
waits up to 3 s for every process of the trial to be gone and counts:

- orphans: processes of the campaign's binary still alive after that grace;
- zombies: processes of the campaign's binary in state Z not reaped by their
  parent. The script is a child subreaper (PR_SET_CHILD_SUBREAPER), so a child
  whose critsec died is reparented to it, not to PID 1; such a child that has died
  (the expected end after SIGKILL of critsec: PR_SET_PDEATHSIG) is a zombie of the
  script, which reaps it and counts it apart ("reparented, then died"), not as a leak;
- folders before the sweep: run-* folders and run-*.lock files under the campaign's
  TMPDIR/critsec-<uid> right after the trial, split by how critsec ended (killed by
  a signal: expected, the next run sweeps them; exited: a leak);
- folders after the sweep: every --sweep-every trials and at the end, one normal
  `critsec run` (which sweeps killed runs' folders first), then everything left
  under TMPDIR is counted (it should be empty: the last folder removes critsec-<uid>);
- POSIX shared memory and named semaphores (/dev/shm entries) and SysV shared
  memory / semaphores (/proc/sysvipc/shm, /proc/sysvipc/sem) not present at the
  campaign's start.

The campaign's binary is a copy of BINARY under a private folder, with its own
name (comm "fi-critsec"), so nobody else's processes are counted; TMPDIR is a
private folder too. Exit 0 when every leak count is zero, 1 otherwise.
Run it on one core: `taskset -c 1 python3 bench/fault_injection.py ...`.
"""
import argparse
import ctypes
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMM = "fi-critsec"
PR_SET_CHILD_SUBREAPER = 36

# (spec, n range, time-scales, weight, compare allowed)
SHORT = ["tutorial/01_worker", "tutorial/07_value_race", "tutorial/08_array", "tutorial/09_file_race",
         "tutorial/10_lock", "coursework/array_shared_index", "coursework/dekker", "coursework/filter_lock",
         "coursework/get_lock_fix", "coursework/naive_flags", "coursework/peterson",
         "coursework/peterson_swapped", "coursework/spin_wait", "coursework/ticket_lock",
         "coursework/torn_read", "coursework/two_lock_deadlock"]
SLEEPING = ["tutorial/02_launch_five", "tutorial/03_join", "tutorial/03b_start_join_serial",
            "tutorial/04_functions", "tutorial/05_adder_class", "tutorial/06_global_var",
            "tutorial/11_semaphore", "tutorial/11b_semaphore_four"]
LIVELOCK = ["coursework/flags_livelock", "coursework/spin_never_released"]
NO_COMPARE = {"tutorial/09_file_race", "coursework/spin_never_released"}  # the model takes 5-7 s

SIGNALS = [("SIGKILL", 30), ("SIGSTOP", 25), ("SIGINT", 25), ("SIGTERM", 20)]
TARGETS = [("critsec", 40), ("anchor", 15), ("child", 45)]


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def read_stat(pid):
    """(comm, state, ppid, pgid) or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            s = f.read().decode("utf-8", "replace")
    except OSError:
        return None
    l, r = s.find("("), s.rfind(")")
    rest = s[r + 2:].split()
    return s[l + 1:r], rest[0], int(rest[1]), int(rest[2])


def campaign_procs():
    """pid -> (state, ppid, pgid) of every process whose comm is the campaign's binary."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        st = read_stat(int(name))
        if st and st[0] == COMM:
            out[int(name)] = st[1:]
    return out


def descendants(root, procs):
    kids = defaultdict(list)
    for pid, (_, ppid, _) in procs.items():
        kids[ppid].append(pid)
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        for c in kids.get(p, []):
            out.append(c)
            todo.append(c)
    return out


def ipc_snapshot():
    shm = set()
    try:
        shm = set(os.listdir("/dev/shm"))
    except OSError:
        pass
    sysv = {}
    for kind in ("shm", "sem"):
        ids = set()
        try:
            with open(f"/proc/sysvipc/{kind}") as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if parts:
                        ids.add(parts[1])  # shmid / semid
        except OSError:
            pass
        sysv[kind] = ids
    return shm, sysv["shm"], sysv["sem"]


def folder_state(tmpdir):
    """(run folders, lock files, other entries, names) under TMPDIR/critsec-<uid>."""
    parent = os.path.join(tmpdir, f"critsec-{os.getuid()}")
    try:
        names = os.listdir(parent)
    except FileNotFoundError:
        return 0, 0, 0, set()
    locks = sum(1 for n in names if n.startswith("run-") and n.endswith(".lock"))
    folders = sum(1 for n in names if n.startswith("run-") and not n.endswith(".lock")
                  and os.path.isdir(os.path.join(parent, n)))
    return folders, locks, len(names) - folders - locks, set(names)


# runtime/private_folder.cpp: kUnlockedGraceSeconds.
UNLOCKED_GRACE_SECONDS = 60


def young_unmarked_lock(parent, name):
    """An empty run-*.lock younger than the sweep's grace, with no folder: spared by design."""
    q = os.path.join(parent, name)
    if not (name.startswith("run-") and name.endswith(".lock")) or os.path.exists(q[:-len(".lock")]):
        return False
    st = os.stat(q)
    return st.st_size == 0 and time.time() - st.st_mtime <= UNLOCKED_GRACE_SECONDS


def count_tree(path):
    """Every file and folder below `path` (not itself)."""
    n = 0
    for _, dirs, files in os.walk(path):
        n += len(dirs) + len(files)
    return n


def describe(status):
    if status is None:
        return "hang"
    if status < 0:
        return "killed by " + signal.Signals(-status).name
    return f"exit {status}"


class Campaign:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.dir = tempfile.mkdtemp(prefix="critsec-fault-")
        self.tmpdir = os.path.join(self.dir, "tmp")
        os.mkdir(self.tmpdir, 0o700)
        self.bin = os.path.join(self.dir, COMM)
        shutil.copy2(args.binary, self.bin)
        self.env = dict(os.environ, TMPDIR=self.tmpdir)
        self.log = open(args.log, "w") if args.log else None
        self.base_shm, self.base_sysv_shm, self.base_sysv_sem = ipc_snapshot()
        self.counts = Counter()
        self.by_sig_target = Counter()
        self.by_end = Counter()
        self.left_by_end = Counter()  # trials that left a folder or lock, by how critsec ended
        self.findings = []  # (trial, text)
        self.seen = defaultdict(set)  # IPC entries already counted
        self.prev_names = set()  # entries of TMPDIR/critsec-<uid> after the last trial
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
            sys.exit("prctl(PR_SET_CHILD_SUBREAPER) failed")
        if campaign_procs():
            sys.exit(f"processes named {COMM} already run: stop them first")

    def spec_path(self, name):
        return os.path.join(self.args.specs_root, name + ".crit")

    def draw_trial(self):
        rng = self.rng
        kind = weighted(rng, [("short", 60), ("sleeping", 30), ("livelock", 10)])
        if kind == "short":
            spec, n, scale, reach = rng.choice(SHORT), rng.randint(5, 40), None, 0.08
        elif kind == "sleeping":
            spec, n, scale = rng.choice(SLEEPING), rng.randint(1, 4), rng.choice(["0.002", "0.005", "0.01"])
            reach = 0.15
        else:
            spec = rng.choice(LIVELOCK)
            n = 1 if spec.endswith("spin_never_released") else rng.randint(1, 5)
            scale, reach = None, 1.0
        mode = weighted(rng, [("run", 60), ("run --reuse", 20), ("compare", 15), ("compare --reuse", 5)])
        if mode.startswith("compare") and spec in NO_COMPARE:
            mode = mode.replace("compare", "run")
        cmd = [self.bin, mode.split()[0], self.spec_path(spec), "-n", str(n), "--seed", str(rng.randint(1, 10**6))]
        if mode.endswith("--reuse"):
            cmd.append("--reuse")
        if scale:
            cmd += ["--time-scale", scale]
        # A run whose setter was killed can wait on its spinning waiter until the run's cap
        # (spin_wait: `sleep(0)` in the spin is a change, so the livelock watch does not stop it).
        cmd += ["--max-run-time", f"{self.args.max_run_time:g}"]
        # One trial in five hits the first milliseconds (the private folder being made).
        delay = rng.uniform(0, 0.005) if rng.random() < 0.2 else rng.uniform(0, reach)
        sig = weighted(rng, SIGNALS)
        target = weighted(rng, TARGETS)
        follow = weighted(rng, [("SIGCONT", 50), ("SIGKILL", 50)]) if sig == "SIGSTOP" else None
        pause = rng.uniform(0, 0.3)
        pick = rng.random()
        return dict(spec=spec, mode=mode, n=n, cmd=cmd, delay=delay, signal=sig, target=target,
                    follow=follow, pause=pause, pick=pick)

    def choose_target(self, t, critsec_pid):
        procs = campaign_procs()
        below = descendants(critsec_pid, procs)
        my_pgid = procs[critsec_pid][2] if critsec_pid in procs else None
        anchors = [p for p in below if procs[p][2] == p and p != my_pgid]
        children = [p for p in below if p not in anchors and procs[p][0] != "Z"]
        want = t["target"]
        if want == "anchor" and anchors:
            return "anchor", anchors[int(t["pick"] * len(anchors))]
        if want == "child" and children:
            return "child", children[int(t["pick"] * len(children))]
        if want == "critsec":
            return "critsec", critsec_pid
        return f"critsec (no {want} yet)", critsec_pid

    def trial(self, i):
        t = self.draw_trial()
        start = time.monotonic()
        p = subprocess.Popen(t["cmd"], env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(t["delay"])
        target_kind, target = self.choose_target(t, p.pid)
        sent = []
        if p.poll() is None:
            try:
                os.kill(target, getattr(signal, t["signal"]))
                sent.append(t["signal"])
                if t["follow"]:
                    time.sleep(t["pause"])
                    os.kill(target, getattr(signal, t["follow"]))
                    sent.append(t["follow"])
            except ProcessLookupError:
                sent.append("(target gone)")
        else:
            target_kind = "none (critsec had ended)"
        try:
            status = p.wait(timeout=self.args.hang_after)
        except subprocess.TimeoutExpired:
            status = None
        elapsed = time.monotonic() - start
        if elapsed > self.args.max_run_time:
            self.counts["over_cap"] += 1
        rec = dict(trial=i, cmd=" ".join(t["cmd"][1:]).replace(self.args.specs_root + "/", ""),
                   delay=round(t["delay"], 4), target=target_kind, signals=sent, end=describe(status),
                   seconds=round(elapsed, 3))
        if status is None:
            procs = campaign_procs()
            rec["hang_procs"] = {str(k): v for k, v in procs.items()}
            self.findings.append((i, f"hang: critsec did not end within {self.args.hang_after:g} s: {rec}"))
            self.counts["hangs"] += 1
            for pid in [p.pid] + descendants(p.pid, procs):
                for s in (signal.SIGKILL, signal.SIGCONT):
                    try:
                        os.kill(pid, s)
                    except ProcessLookupError:
                        pass
            p.wait()
        self.check_after(i, rec)
        self.by_sig_target[(t["signal"] + ("+" + t["follow"] if t["follow"] else ""), target_kind)] += 1
        self.by_end[rec["end"]] += 1
        self.counts["trials"] += 1
        if self.log:
            self.log.write(json.dumps(rec) + "\n")
        return rec

    def check_after(self, i, rec):
        # Everything of the trial should be gone within the grace.
        deadline = time.monotonic() + 3.0
        while True:
            procs = campaign_procs()
            alive = {k: v for k, v in procs.items() if v[0] != "Z"}
            if not alive or time.monotonic() > deadline:
                break
            time.sleep(0.005)
        me = os.getpid()
        orphans = {k: v for k, v in procs.items() if v[0] != "Z"}
        zombies = {k: v for k, v in procs.items() if v[0] == "Z" and v[1] != me}
        reparented = [k for k, v in procs.items() if v[0] == "Z" and v[1] == me]
        for pid in reparented:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self.counts["reparented_then_died"] += len(reparented)
        if orphans:
            self.counts["orphans"] += len(orphans)
            rec["orphans"] = {str(k): v for k, v in orphans.items()}
            self.findings.append((i, f"orphans {rec['orphans']} after {rec}"))
        if zombies:
            self.counts["zombies"] += len(zombies)
            rec["zombies"] = {str(k): v for k, v in zombies.items()}
            self.findings.append((i, f"zombies {rec['zombies']} after {rec}"))
        # Clean up what leaked, so one leak is counted once.
        for pid in orphans:
            for s in (signal.SIGKILL, signal.SIGCONT):
                try:
                    os.kill(pid, s)
                except ProcessLookupError:
                    pass
        if orphans:
            time.sleep(0.05)
            for pid, v in campaign_procs().items():
                if v[1] == me:
                    try:
                        os.waitpid(pid, os.WNOHANG)
                    except ChildProcessError:
                        pass
        # Only what this trial left: a trial killed before its own sweep still sees the last one's.
        _, _, _, names = folder_state(self.tmpdir)
        fresh = names - self.prev_names
        self.prev_names = names
        folders = sum(1 for n in fresh if n.startswith("run-") and not n.endswith(".lock"))
        locks = sum(1 for n in fresh if n.startswith("run-") and n.endswith(".lock"))
        other = len(fresh) - folders - locks
        signalled = rec["end"].startswith("killed by") or rec["end"] == "hang"  # a hang: killed by the script
        key = "killed" if signalled else "exited"
        if folders or locks:
            rec["left"] = [folders, locks]
            self.left_by_end[rec["end"]] += 1
            self.counts[f"pre_sweep_folders_{key}"] += folders
            self.counts[f"pre_sweep_locks_{key}"] += locks
            self.counts[f"pre_sweep_trials_{key}"] += 1
            if not signalled:
                self.findings.append((i, f"folder left by a critsec that exited: {rec}"))
        if other:
            self.counts["pre_sweep_other"] += other
        self.check_ipc(i)

    def check_ipc(self, i):
        shm, sysv_shm, sysv_sem = ipc_snapshot()
        new = (shm - self.base_shm, sysv_shm - self.base_sysv_shm, sysv_sem - self.base_sysv_sem)
        for label, items in zip(("dev_shm", "sysv_shm", "sysv_sem"), new):
            fresh = items - self.seen[label]
            if fresh:
                self.counts[label] += len(fresh)
                self.seen[label] |= fresh
                self.findings.append((i, f"new {label} entries: {sorted(fresh)}"))

    def sweep(self, i):
        """One normal run, which sweeps the killed runs' folders; then count what is left."""
        spec = self.spec_path("tutorial/10_lock")
        before = folder_state(self.tmpdir)
        r = subprocess.run([self.bin, "run", spec, "-n", "1"], env=self.env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        after = folder_state(self.tmpdir)
        self.prev_names = after[3]
        leftovers = os.listdir(self.tmpdir)
        self.counts["sweeps"] += 1
        self.counts["sweep_removed_folders"] += before[0]
        if r.returncode != 0:
            self.findings.append((i, f"sweep run exited {r.returncode}"))
        if leftovers:
            detail = {}
            spared = 0
            parent = os.path.join(self.tmpdir, f"critsec-{os.getuid()}")
            if os.path.isdir(parent):
                for n in os.listdir(parent):
                    q = os.path.join(parent, n)
                    try:
                        detail[n] = open(q).read() if os.path.isfile(q) else sorted(os.listdir(q))
                        if young_unmarked_lock(parent, n):
                            spared += 1
                    except OSError as e:
                        detail[n] = str(e)
            # A lock file never marked "owned" (critsec killed between making and
            # locking it) is spared by the sweep for UNLOCKED_GRACE_SECONDS by design:
            # not a leak while it is younger; the parent stays while it holds one.
            if spared and spared == len(detail):
                self.counts["spared_young_locks"] += spared
                return after, [], {}
            return after, leftovers, detail
        return after, [], {}

    def run(self):
        a = self.args
        t0 = time.monotonic()
        post_sweep_left = []
        for i in range(a.trials):
            if a.max_seconds and time.monotonic() - t0 > a.max_seconds:
                break
            self.trial(i)
            if (i + 1) % a.sweep_every == 0:
                after, left, detail = self.sweep(i)
                if left:
                    post_sweep_left.append((i, after, detail))
                    self.counts["post_sweep_entries"] += count_tree(self.tmpdir)
                    self.findings.append((i, f"left after a sweep run: {detail}"))
                    # Folders with a lock never marked are spared for 60 s by design; keep going.
            if a.progress and (i + 1) % a.progress == 0:
                print(f"[{i + 1} trials, {time.monotonic() - t0:.0f} s] " +
                      ", ".join(f"{k}={v}" for k, v in sorted(self.counts.items())), file=sys.stderr, flush=True)
        # The last sweep: immediately, then once more past the 60 s grace if something is left.
        # Only young unmarked locks left (the sweep spares them): wait their grace out,
        # since the claim is that nothing is left once it has passed.
        after, left, detail = self.sweep(-1)
        final = dict(entries=count_tree(self.tmpdir), detail=detail)
        spared_only = not left and final["entries"] > 0
        if spared_only or (left and a.final_grace):
            time.sleep(UNLOCKED_GRACE_SECONDS + 1)
            after, left, detail = self.sweep(-1)
            final["after_grace"] = dict(entries=count_tree(self.tmpdir), leftovers=left, detail=detail)
            final["entries"] = final["after_grace"]["entries"]
        final["tmpdir_entries"] = os.listdir(self.tmpdir)
        self.check_ipc(-1)
        elapsed = time.monotonic() - t0
        return self.report(elapsed, final)

    def report(self, elapsed, final):
        c = self.counts
        a = self.args
        print(f"critsec fault injection: binary {a.binary} (copied as {COMM}), seed {a.seed}, "
              f"{c['trials']} trials of {a.trials} asked in {elapsed:.0f} s ({elapsed / max(c['trials'], 1):.3f} s a trial)")
        print(f"TMPDIR {self.tmpdir}; sweep run every {a.sweep_every} trials and at the end")
        print()
        print("trials by signal and target")
        sigs = sorted({s for s, _ in self.by_sig_target})
        targets = sorted({t for _, t in self.by_sig_target})
        w = max(len(t) for t in targets) if targets else 8
        print(f"  {'signal':<16} " + " ".join(f"{t:>{w}}" for t in targets))
        for s in sigs:
            print(f"  {s:<16} " + " ".join(f"{self.by_sig_target[(s, t)]:>{w}}" for t in targets))
        print()
        print("how critsec ended                trials   left a folder or lock (before the sweep)")
        for k, v in self.by_end.most_common():
            print(f"  {k:<30} {v:>7}   {self.left_by_end[k]:>7}")
        print()
        rows = [
            (f"hangs (critsec alive {a.hang_after:g} s after the signal)", c["hangs"], True),
            ("trials longer than the run cap (--max-run-time)", c["over_cap"], False),
            ("orphans (alive 3 s after critsec ended)", c["orphans"], True),
            ("zombies (not reaped by their parent)", c["zombies"], True),
            ("reparented to the script, then died (reaped by it)", c["reparented_then_died"], False),
            ("folders left, critsec killed (before the sweep)", c["pre_sweep_folders_killed"], False),
            ("lock files left, critsec killed (before the sweep)", c["pre_sweep_locks_killed"], False),
            ("trials leaving them, critsec killed", c["pre_sweep_trials_killed"], False),
            ("folders left, critsec exited (before the sweep)", c["pre_sweep_folders_exited"], True),
            ("lock files left, critsec exited (before the sweep)", c["pre_sweep_locks_exited"], True),
            ("entries under TMPDIR after a sweep run (batches)", c["post_sweep_entries"], True),
            ("unmarked lock files younger than the sweep's grace, spared", c["spared_young_locks"], False),
            ("entries under TMPDIR after the final sweep run", final["entries"], True),
            ("new /dev/shm entries (POSIX shm, sem.*)", c["dev_shm"], True),
            ("new SysV shared memory segments", c["sysv_shm"], True),
            ("new SysV semaphore sets", c["sysv_sem"], True),
        ]
        for label, v, leak in rows:
            print(f"  {label:<56} {v:>7}{'   LEAK' if leak and v else ''}")
        if "after_grace" in final:
            print(f"  after 61 s and one more sweep run: {final['after_grace']}")
        print(f"  TMPDIR at the end: {final['tmpdir_entries']}")
        leaked = any(v for _, v, leak in rows if leak)
        if self.findings:
            print()
            print(f"findings ({len(self.findings)}; the first 20):")
            for i, text in self.findings[:20]:
                print(f"  trial {i}: {text}")
        return 1 if leaked else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("trials", type=int)
    ap.add_argument("seed", type=int)
    ap.add_argument("--specs-root", default=os.path.join(ROOT, "specs"))
    ap.add_argument("--max-seconds", type=float, default=0, help="stop drawing trials after this long")
    ap.add_argument("--max-run-time", type=float, default=3, help="critsec's cap on one run, passed to every trial")
    ap.add_argument("--hang-after", type=float, default=30,
                    help="seconds after the signal past which critsec is a hang (then SIGKILLed with its tree)")
    ap.add_argument("--sweep-every", type=int, default=100)
    ap.add_argument("--final-grace", action="store_true",
                    help="if something is left after the final sweep, wait 61 s (the unlocked-lock grace) and sweep again")
    ap.add_argument("--log", help="one JSON line per trial")
    ap.add_argument("--progress", type=int, default=0, help="print the counts every N trials")
    ap.add_argument("--keep", action="store_true", help="keep the campaign folder")
    args = ap.parse_args()
    args.binary = os.path.abspath(args.binary)
    args.specs_root = os.path.abspath(args.specs_root)
    c = Campaign(args)
    try:
        rc = c.run()
    finally:
        if not args.keep:
            shutil.rmtree(c.dir, ignore_errors=True)
    sys.exit(rc)


if __name__ == "__main__":
    main()
