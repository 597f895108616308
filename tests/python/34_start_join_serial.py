# Tutorial 03b's loop (start then join at once, in the same loop) around a
# racy `+=`: each child runs alone, so the race cannot happen, and the
# total is always 10 + 20 + 30. No two adders ever overlap.
# expect: overlap adder: never
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
# expect: outcome: total.value = 60
from multiprocessing import Process, Value


def adder(total, n):
    total.value += n


if __name__ == "__main__":
    total = Value("i", 0)
    adders = [Process(target=adder, args=(total, 10 * k)) for k in range(1, 4)]
    for a in adders:
        a.start()
        a.join()
    assert total.value == 60
