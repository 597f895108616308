# pending: an alias of a shared object in the parent (`t = total`, then `args=(..., t, ...)`)
# 43 with the Value passed under another name: the same program, the same
# verdicts.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: outcomes: 1
from multiprocessing import Process, Value, Lock

lock = Lock()
total = Value("i", 0)


def add(n):
    with lock:
        total.value += n


def sub(amount, counter, guard):
    with guard:
        counter.value -= amount


if __name__ == "__main__":
    t = total
    ps = [Process(target=add, args=(n,)) for n in range(1, 4)]
    q = Process(target=sub, args=(6, t, lock))
    for p in ps:
        p.start()
    q.start()
    for p in ps:
        p.join()
    q.join()
    assert total.value == 0
