# A student's acquire/release with the release one line too early: the lock
# only covers the read, the write happens after it is released. Two adders
# can both read 0 under the lock, one after the other, and then both write:
# the lock does not help, the update is lost.
# expect: lost-update: VIOLATED
# expect: assert: VIOLATED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 3
# expect: outcome: total.value = 3
# expect: outcome: total.value = 1
# expect: outcome: total.value = 2
from multiprocessing import Process, Value, Lock


def add(total, lock, amount):
    lock.acquire()
    current = total.value
    lock.release()
    total.value = current + amount


if __name__ == "__main__":
    total = Value("i", 0)
    lock = Lock()
    p1 = Process(target=add, args=(total, lock, 1))
    p2 = Process(target=add, args=(total, lock, 2))
    p1.start()
    p2.start()
    p1.join()
    p2.join()
    print(f"Total: {total.value}")
    assert total.value == 3
