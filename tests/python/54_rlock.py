# A recursive lock taken twice by the same process: no deadlock (with a Lock
# it would block for ever).
# expect: deadlock: PROVED
# expect: lost-update: PROVED
# expect: assert: PROVED
from multiprocessing import Process, Value, RLock


def add(total, lock, n):
    with lock:
        with lock:
            total.value += n


if __name__ == "__main__":
    total = Value("i", 0)
    lock = RLock()
    ps = [Process(target=add, args=(total, lock, n)) for n in range(1, 3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    assert total.value == 3
