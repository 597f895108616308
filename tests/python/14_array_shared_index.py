# The coursework's Array filled through a shared index, as a student writes
# it: each filler reads the next free slot, writes its number there and moves
# the index on. Two fillers can read the same index: one number overwrites
# the other and a slot stays 0.
# expect: lost-update: VIOLATED
# expect: assert: VIOLATED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcome: slots = [1, 2, 3]
# expect: outcome: slots = [3, 0, 0]
# expect: no-outcome: slots = [0, 0, 0]
from multiprocessing import Process, Array, Value


def filler(slots, index, number):
    i = index.value
    slots[i] = number
    index.value = i + 1


if __name__ == "__main__":
    slots = Array("i", 3)
    index = Value("i", 0)
    fillers = [Process(target=filler, args=(slots, index, k + 1)) for k in range(3)]
    for f in fillers:
        f.start()
    for f in fillers:
        f.join()
    print(f"Array final: {list(slots)}")
    assert index.value == 3, "un indice se ha repartido dos veces"
