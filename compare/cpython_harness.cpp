#include "compare/cpython_harness.hpp"

namespace critsec::compare {

// Why each patch: a pid must print as the model prints pid() (`main`, `Adder#3`);
// main's draws must be recorded (they are the checker's inputs) or forced
// (`--inputs`); a child's uncaught exception must be told apart by process,
// which CPython's stderr does not do; the shared objects' final values live in
// the program's globals, which only the interpreter can read. Kept in step
// with critsec's outcome text by tests/compare_cpython_test.cpp.
namespace {
constexpr const char kHarness[] = R"PY(# critsec's CPython harness: runs one Python program once, as `python3 prog.py`
# would (module __main__, the fork start method that critsec's model describes),
# and writes what critsec's outcomes describe, one JSON object a line, to fd 3,
# as it happens (a run that blocks forever has told what it did so far):
#   {"draw": 7}                    main drew 7 (forced, or from the seed)
#   {"draw": 3, "by": LABEL}       the child LABEL drew 3
#   {"start": LABEL}               main started LABEL
#   {"print": "..."}               main printed a line
#   {"failed": LABEL, "error": E}  an uncaught exception (LABEL main too), as CPython's traceback ends
#   {"exit": LABEL}                a process's code is over (main's: before CPython joins its children)
#   {"sleep": 1} / {"sleep": -1}   a process begins / ends a sleep()
#   {"end": true, "values": {NAME: int or [ints]}}   every child has ended
# LABEL is the model's name of a process: its class (or target function) and
# its creation ordinal, `Adder#3`. pids read as those labels (`main`, `Adder#3`,
# `shell` for main's parent), as the model prints pid().
import builtins, ctypes, io, json, os, random, sys, time, traceback, types
import multiprocessing, multiprocessing.process

REPORT_FD = 3
args = sys.argv[1:]
program, seed, time_scale = args[0], int(args[1]), float(args[2])
forced = [int(x) for x in args[3].split()] if args[3] != "-" else None
observe = [n for n in args[4].split(",") if n]
real_getpid, real_getppid, real_sleep, real_print = os.getpid, os.getppid, time.sleep, builtins.print
main_pid = real_getpid()
me = {"label": "main"}


def report(record):
    line = (json.dumps(record) + "\n").encode()
    while line:  # one write a record from a child: under PIPE_BUF, never interleaved
        line = line[os.write(REPORT_FD, line[:4000]):]


class Pid(int):
    """A pid that prints as the model prints pid(): its process's label."""

    def __new__(cls, value, label):
        pid = super().__new__(cls, value)
        pid.label = label
        return pid

    def __str__(self):
        return self.label

    __repr__ = __str__

    def __format__(self, spec):
        return format(self.label, spec) if not spec or spec[-1:] not in "bcdoxXn" else int.__format__(self, spec)


os.getpid = lambda: Pid(real_getpid(), me["label"])
os.getppid = lambda: Pid(real_getppid(), "shell" if real_getpid() == main_pid else "main")


def sleep(s):
    report({"sleep": 1})  # asleep on purpose: not blocked
    try:
        real_sleep(s * time_scale)
    finally:
        report({"sleep": -1})


time.sleep = sleep

# main's draws: forced (--inputs, `# fixed-inputs:`) or seeded, and recorded; a
# child's draws are its own (random reseeds itself in every forked child), and
# recorded too, so that the run's outcome is predicted for what its children drew.
random.seed(seed)
draws, real_randint = [], random.randint


def randint(a, b):
    if real_getpid() != main_pid:
        v = real_randint(a, b)
        report({"draw": v, "by": me["label"]})
        return v
    v = forced[len(draws)] if forced is not None and len(draws) < len(forced) else real_randint(a, b)
    draws.append(v)
    report({"draw": v})
    return v


random.randint = randint

Base = multiprocessing.process.BaseProcess
real_init, real_start, real_bootstrap = Base.__init__, Base.start, Base._bootstrap
created = {}


def template_of(p):
    return type(p).__name__ if type(p).run is not Base.run else getattr(p._target, "__name__", "Process")


def init(self, *a, **kw):
    real_init(self, *a, **kw)
    t = template_of(self)
    created[t] = created.get(t, 0) + 1
    self._critsec_label = f"{t}#{created[t]}"


def start(self):
    real_start(self)
    self._popen.pid = Pid(self._popen.pid, self._critsec_label)
    report({"start": self._critsec_label})


def failure(e):
    return traceback.format_exception_only(type(e), e)[-1].strip()


def bootstrap(self, *a, **kw):
    me["label"] = self._critsec_label
    run = self.run

    def reported_run():
        try:
            run()
        except Exception as e:
            report({"failed": me["label"], "error": failure(e)})
            raise

    self.run = reported_run
    try:
        return real_bootstrap(self, *a, **kw)
    finally:
        report({"exit": me["label"]})


Base.__init__, Base.start, Base._bootstrap = init, start, bootstrap

# Every line main prints is part of critsec's outcomes, in main's order (its
# place among the children's lines is timing, and is not).
def print_(*a, **kw):
    if real_getpid() == main_pid and kw.get("file") in (None, sys.stdout):
        text = io.StringIO()
        real_print(*a, **{**kw, "file": text})
        for line in text.getvalue().rstrip("\n").split("\n"):
            report({"print": line})
    return real_print(*a, **kw)


builtins.print = print_


def observed(obj):
    raw = obj.get_obj() if hasattr(obj, "get_obj") else obj  # not through its lock: a dead child may hold it
    if isinstance(raw, ctypes.Array):
        return [int(x) for x in raw]
    if isinstance(raw, ctypes._SimpleCData):
        return int(raw.value)
    return None


multiprocessing.set_start_method("fork", force=True)
sys.path.insert(0, os.path.dirname(os.path.abspath(program)))
sys.argv = [program]
module = types.ModuleType("__main__")
module.__dict__.update(__file__=program, __builtins__=builtins)
sys.modules["__main__"] = module
try:
    with open(program, "rb") as f:
        code = compile(f.read(), program, "exec")
    exec(code, module.__dict__)
except SystemExit:
    pass
except Exception as e:
    report({"failed": "main", "error": failure(e)})
    traceback.print_exc()
sys.stdout.flush()
report({"exit": "main"})
for p in multiprocessing.active_children():  # as CPython does at exit: SIGTERM to the daemons, then a join of every child
    if p.daemon:
        p.terminate()
for p in multiprocessing.active_children():
    p.join()
values = {}
for name in observe:
    try:
        v = observed(module.__dict__[name])
    except Exception:
        v = None
    if v is not None:
        values[name] = v
report({"end": True, "values": values})
)PY";
}  // namespace

const char* cpython_harness_source() { return kHarness; }

}  // namespace critsec::compare
