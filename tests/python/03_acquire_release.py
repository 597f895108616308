# The same fix written with acquire() and release() instead of `with`: the
# student releases in the right place, so the critical section covers the
# read and the write. Three adders with different amounts: total 1+2+4 = 7.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
# expect: outcome: total.value = 7
from multiprocessing import Process, Value, Lock


def add(total, lock, amount):
    lock.acquire()
    total.value = total.value + amount
    lock.release()
    print(f"He sumado {amount}")


if __name__ == "__main__":
    total = Value("i", 0)
    lock = Lock()
    p1 = Process(target=add, args=(total, lock, 1))
    p2 = Process(target=add, args=(total, lock, 2))
    p3 = Process(target=add, args=(total, lock, 4))
    p1.start()
    p2.start()
    p3.start()
    p1.join()
    p2.join()
    p3.join()
    print(f"Total: {total.value}")
    assert total.value == 7
