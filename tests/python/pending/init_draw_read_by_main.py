# pending: a field drawn in __init__ (`self._n = randint(1, 3)`) read back by the parent (`a._n`)
# Adders under the Value's lock: the total is the sum of the draws.
# expect: assert: PROVED
# expect: lost-update: PROVED
from multiprocessing import Process, Value
from random import randint


class Adder(Process):
    def __init__(self, total):
        super().__init__()
        self._total = total
        self._n = randint(1, 3)

    def run(self):
        with self._total.get_lock():
            self._total.value += self._n


if __name__ == "__main__":
    total = Value("i", 0)
    adders = [Adder(total) for _ in range(2)]
    for a in adders:
        a.start()
    for a in adders:
        a.join()
    expected = 0
    for a in adders:
        expected += a._n
    assert total.value == expected
