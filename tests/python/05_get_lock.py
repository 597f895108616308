# The Value's own lock instead of a separate Lock: `with total.get_lock():`
# around the `+=` makes the read and the write one critical section. Adders
# are a Process subclass that keeps the Value in a field, as in tutorial 07.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
# expect: outcome: total.value = 15
from multiprocessing import Process, Value


class Adder(Process):
    def __init__(self, n, total):
        super().__init__()
        self._n = n
        self._total = total

    def run(self):
        with self._total.get_lock():
            self._total.value += self._n


if __name__ == "__main__":
    total = Value("i", 0)
    adders = [Adder(n, total) for n in range(1, 6)]
    for a in adders:
        a.start()
    for a in adders:
        a.join()
    print(f"Suma: {total.value}")
    assert total.value == 15, "suma perdida"
