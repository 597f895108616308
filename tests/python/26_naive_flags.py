# A lock from flags alone: wait until the other's flag is down, then raise
# your own. Both can see the other's flag down before either raises its own,
# and both enter: a lost update. The spin has finitely many states, so the
# checker decides it for any number of spins.
# expect: lost-update: VIOLATED
# expect: assert: VIOLATED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: progress: PROVED
from multiprocessing import Process, Value


def worker(me, x, flag0, flag1, total):
    if me == 0:
        while flag1.value == 1:
            pass
        flag0.value = 1
        total.value += x
        flag0.value = 0
    else:
        while flag0.value == 1:
            pass
        flag1.value = 1
        total.value += x
        flag1.value = 0


if __name__ == "__main__":
    flag0 = Value("i", 0)
    flag1 = Value("i", 0)
    total = Value("i", 0)
    a = Process(target=worker, args=(0, 1, flag0, flag1, total))
    b = Process(target=worker, args=(1, 2, flag0, flag1, total))
    a.start()
    b.start()
    a.join()
    b.join()
    print(f"Total: {total.value}")
    assert total.value == 3, "se ha perdido una suma"
