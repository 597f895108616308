# read since the reader learnt it: tuple unpacking (`lock_a, lock_b = Lock(), Lock()`, `a, b = ...`)
# 22 (two locks taken in the same order) with the locks made in one line.
# expect: deadlock: PROVED
# expect: lost-update: PROVED
# expect: runtime-error: PROVED
# expect: assert: PROVED
from multiprocessing import Process, Value, Lock


def transfer(a, b, lock_a, lock_b, amount):
    with lock_a:
        with lock_b:
            a.value -= amount
            b.value += amount


if __name__ == "__main__":
    a, b = Value("i", 10), Value("i", 10)
    lock_a, lock_b = Lock(), Lock()
    t1 = Process(target=transfer, args=(a, b, lock_a, lock_b, 1))
    t2 = Process(target=transfer, args=(a, b, lock_a, lock_b, -1))
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    assert a.value + b.value == 20
