# pending: calling p.run() instead of p.start() (a classic mistake: the
# target runs in the parent, one after the other, so nothing races)
# expect: lost-update: PROVED
# expect: assert: PROVED
from multiprocessing import Process, Value


def add(total, n):
    total.value += n


if __name__ == "__main__":
    total = Value("i", 0)
    ps = [Process(target=add, args=(total, n)) for n in range(1, 4)]
    for p in ps:
        p.run()
    assert total.value == 6
