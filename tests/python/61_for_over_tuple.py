# Unlocked adders of 1, 2 and 4, their list built with append() in a `for`
# over a tuple: a lost update.
# expect: lost-update: VIOLATED
# expect: assert: VIOLATED
from multiprocessing import Process, Value


def add(total, n):
    total.value += n


if __name__ == "__main__":
    total = Value("i", 0)
    ps = []
    for n in (1, 2, 4):
        ps.append(Process(target=add, args=(total, n)))
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    assert total.value == 7
