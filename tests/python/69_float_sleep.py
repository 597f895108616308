# A float literal (`sleep(0.1)`), as students write it.
# 11's room with a tenth of a second inside.
# expect: max-inside visitor 11-13: 2
# expect: deadlock: PROVED
from multiprocessing import Process, Semaphore
from time import sleep


def visitor(k, room):
    with room:
        print(f"entra {k}")
        sleep(0.1)
        print(f"sale {k}")


if __name__ == "__main__":
    room = Semaphore(2)
    vs = [Process(target=visitor, args=(k, room)) for k in range(4)]
    for v in vs:
        v.start()
    for v in vs:
        v.join()
