# pending: the builtin `sorted()` (also `sum()`) on a list
# 14 with the read of the index, the write of the slot and the move of the
# index under one Lock: every slot is filled once, in whatever order the
# fillers got the lock, so the outcomes are the 6 orders of 1, 2, 3.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 6
# expect: outcome: slots = [3, 1, 2]
# expect: no-outcome: slots = [3, 0, 0]
from multiprocessing import Process, Array, Value, Lock


def filler(slots, index, lock, number):
    with lock:
        i = index.value
        slots[i] = number
        index.value = i + 1


if __name__ == "__main__":
    slots = Array("i", 3)
    index = Value("i", 0)
    lock = Lock()
    fillers = [Process(target=filler, args=(slots, index, lock, k + 1)) for k in range(3)]
    for f in fillers:
        f.start()
    for f in fillers:
        f.join()
    assert index.value == 3
    assert sorted(list(slots)) == [1, 2, 3]
