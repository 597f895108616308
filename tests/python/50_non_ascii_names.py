# read since the reader learnt it: non-ASCII identifiers (the tutorial's `tamaño`)
# Each worker fills its own cell: no race.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: outcomes: 1
from multiprocessing import Process, Array

tamaño = 3


def rellenar(números, posición):
    números[posición] = posición * 10


if __name__ == "__main__":
    números = Array("i", tamaño)
    ps = [Process(target=rellenar, args=(números, i)) for i in range(tamaño)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    assert números[2] == 20
