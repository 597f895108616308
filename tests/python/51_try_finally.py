# read since the reader learnt it: try/finally around acquire()/release()
# 03 with the release in a `finally:`, as the course recommends: the lock is
# released even if the update fails.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
from multiprocessing import Process, Value, Lock


def add(total, lock, amount):
    lock.acquire()
    try:
        total.value += amount
    finally:
        lock.release()


if __name__ == "__main__":
    total = Value("i", 0)
    lock = Lock()
    ps = [Process(target=add, args=(total, lock, n)) for n in [1, 2, 4]]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    assert total.value == 7
