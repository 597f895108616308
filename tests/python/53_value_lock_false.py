# read since the reader learnt it: Value(..., lock=False)
# A raw Value (no lock of its own) guarded by an explicit Lock: no race.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: outcomes: 1
from multiprocessing import Process, Value, Lock


def add(total, lock, n):
    with lock:
        total.value += n


if __name__ == "__main__":
    total = Value("i", 0, lock=False)
    lock = Lock()
    ps = [Process(target=add, args=(total, lock, n)) for n in range(1, 4)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    assert total.value == 6
