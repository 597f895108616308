# The two-lock transfer of 22, choosing the sign with a conditional
# expression (`1 if forward else -1`); locks in the same order, so no
# deadlock, and the transfers cancel out: a and b end at 10 and main says ok.
# expect: deadlock: PROVED
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
# expect: outcome: a.value = 10
# expect: outcome: b.value = 10
# expect: outcome: main prints: ok
from multiprocessing import Process, Value, Lock


def transfer(a, b, lock_a, lock_b, forward):
    amount = 1 if forward else -1
    with lock_a:
        with lock_b:
            a.value -= amount
            b.value += amount


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
    print("ok" if a.value + b.value == 20 else "dinero perdido")
    assert a.value + b.value == 20
