# Tutorial 10 with the adders built by keyword (`Adder(n1=..., n2=...,
# shared_total=..., lock=...)`) and fixed amounts instead of draws. The
# lock covers the `+=`, so the total is always 1+2+3+4 + 10+20+30+40 = 110.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
# expect: outcome: shared_total.value = 110
from multiprocessing import Process, current_process, Value, Lock


class Adder(Process):
    def __init__(self, n1, n2, shared_total, lock):
        super().__init__()
        self._n1 = n1
        self._n2 = n2
        self._shared_total = shared_total
        self._lock = lock

    def run(self):
        with self._lock:
            self._shared_total.value += self._n1 + self._n2
            print(f"Suma proceso con PID {current_process().pid}: {self._n1} + {self._n2}")


if __name__ == "__main__":
    shared_total = Value("i", 0)
    lock = Lock()
    processes = [Adder(n1=k, n2=10 * k, shared_total=shared_total, lock=lock) for k in range(1, 5)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    print(f"Total: {shared_total.value}")
    assert shared_total.value == 110
