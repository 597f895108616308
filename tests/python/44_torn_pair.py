# Two Values that must stay equal (a "from" and a "to" balance copy). The
# writer changes both under a lock, but the reader reads them without it:
# it can see x already moved and y not yet (x=5 y=0), or read x before the
# writer and y after it (x=0 y=5): its check can fail two ways, though no
# update is lost. Three outcomes: those two failures, and no failure.
# expect: assert: VIOLATED
# expect: lost-update: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 3
# expect: outcome: reader#1 failed: AssertionError: visto x=0 y=5
# expect: outcome: x.value = 5
from multiprocessing import Process, Value, Lock as L, Process as P


def writer(x, y, lock):
    with lock:
        x.value = 5
        y.value = 5


def reader(x, y):
    a = x.value
    b = y.value
    assert a == b, f"visto x={a} y={b}"


if __name__ == "__main__":
    x = Value("i", 0)
    y = Value("i", 0)
    lock = L()
    w = P(target=writer, args=(x, y, lock))
    r = Process(target=reader, args=(x, y))
    w.start()
    r.start()
    w.join()
    r.join()
