# 44 with the reader taking the same lock around its two reads: it sees
# both old values or both new ones, never a mix.
# expect: assert: PROVED
# expect: lost-update: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
from multiprocessing import Process, Value, Lock


def writer(x, y, lock):
    with lock:
        x.value = 5
        y.value = 5


def reader(x, y, lock):
    with lock:
        a = x.value
        b = y.value
    assert a == b, f"visto x={a} y={b}"
    print(f"visto {a} {b}")


if __name__ == "__main__":
    x = Value("i", 0)
    y = Value("i", 0)
    lock = Lock()
    w = Process(target=writer, args=(x, y, lock))
    r = Process(target=reader, args=(x, y, lock))
    w.start()
    r.start()
    w.join()
    r.join()
