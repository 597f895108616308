from multiprocessing import Process, Value, Lock
from random import randint


class Adder(Process):
    def __init__(self, n1, n2, shared_total, lock):
        super().__init__()
        self.n1 = n1
        self.n2 = n2
        self._shared_total = shared_total
        self._lock = lock

    def run(self):
        with self._lock:
            self._shared_total.value += self.n1 + self.n2
            print(f"Acumulado hasta ahora: {self._shared_total.value}")


if __name__ == "__main__":
    shared_total = Value("i", 0)
    lock = Lock()
    processes = [Adder(randint(1, 10), randint(1, 10), shared_total, lock) for _ in range(3)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    expected = 0
    for p in processes:
        expected += p.n1 + p.n2
    print(f"Total: {shared_total.value}")
    assert shared_total.value == expected, "lost update"
