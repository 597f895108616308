# once a critsec finding, now fixed: a local in run() named
# like the parameter a field stands for. `self._n` is read as the parameter
# `n`, and run()'s own `n = 100` then hides it: CPython prints 101, critsec's
# Adder prints 200. (With a field holding a Value, `shared = 5` in run() is
# read as an assignment to the Value: three errors instead.)
# expect: prints: Adder#1 "101"
# expect: deadlock: PROVED
from multiprocessing import Process


class Adder(Process):
    def __init__(self, n):
        super().__init__()
        self._n = n

    def run(self):
        n = 100
        print(self._n + n)


if __name__ == "__main__":
    a = Adder(1)
    a.start()
    a.join()
