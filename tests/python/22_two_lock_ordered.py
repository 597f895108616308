# 21 fixed by lock order: both transfers take lock_a first, then lock_b, so
# neither can hold the second while waiting for the first. No deadlock, and
# the two transfers cancel out: a and b end at 10.
# expect: deadlock: PROVED
# expect: lost-update: PROVED
# expect: runtime-error: PROVED
# expect: assert: PROVED
# expect: outcomes: 1
# expect: outcome: a.value = 10
from multiprocessing import Process, Value, Lock


def transfer(a, b, lock_a, lock_b, forward):
    with lock_a:
        with lock_b:
            if forward:
                a.value -= 1
                b.value += 1
            else:
                b.value -= 1
                a.value += 1


if __name__ == "__main__":
    a = Value("i", 10)
    b = Value("i", 10)
    lock_a = Lock()
    lock_b = Lock()
    t1 = Process(target=transfer, args=(a, b, lock_a, lock_b, True))
    t2 = Process(target=transfer, args=(a, b, lock_a, lock_b, False))
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    print(f"a = {a.value}, b = {b.value}")
    assert a.value + b.value == 20
