# pending: different shared objects given to one parameter
# Each worker counts into its own Value: no two workers share a cell, so no
# lost update.
# expect: lost-update: PROVED
# expect: assert: PROVED
from multiprocessing import Process, Value


def work(counter):
    for _ in range(3):
        counter.value += 1


if __name__ == "__main__":
    c1 = Value("i", 0)
    c2 = Value("i", 0)
    p1 = Process(target=work, args=(c1,))
    p2 = Process(target=work, args=(c2,))
    p1.start()
    p2.start()
    p1.join()
    p2.join()
    assert c1.value == 3 and c2.value == 3
