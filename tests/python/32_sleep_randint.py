# Tutorial 07 with three adders, each sleeping a random while before its
# `+=`: the sleep makes a race less likely to show in one run, not
# impossible, so the lost update stays. The parent checks the total against
# the adders' own numbers (read back from the Process objects). With the
# draws fixed to 1, 2, 4 (no two subsets with the same sum), each surviving
# set of additions gives its own total: 7 outcomes, 1 to 7.
# expect: lost-update: VIOLATED
# expect: assert: VIOLATED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# fixed-inputs: 1 2 4
# expect: outcomes: 7
# expect: outcome: total.value = 7
# expect: outcome: total.value = 1
# expect: no-outcome: total.value = 0
from multiprocessing import Process, Value
from random import randint
from time import sleep


class Adder(Process):
    def __init__(self, n, total):
        super().__init__()
        self._n = n
        self._total = total

    def run(self):
        sleep(randint(0, 2) / 10)
        self._total.value += self._n


if __name__ == "__main__":
    total = Value("i", 0)
    adders = [Adder(randint(1, 10), total) for _ in range(3)]
    for a in adders:
        a.start()
    for a in adders:
        a.join()
    expected = 0
    for a in adders:
        expected += a._n
    print(f"Total: {total.value}, esperado: {expected}")
    assert total.value == expected, "se ha perdido una suma"
