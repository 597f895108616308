# A Semaphore(1) used as a mutex (a "binary semaphore"), acquire and release
# written by hand around the read-modify-write: as good as a Lock here.
# Three adders of 1, 2 and 4: always 7.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
# expect: max-inside Adder 22-23: 1
from multiprocessing import Process, Semaphore, Value


class Adder(Process):
    def __init__(self, n, total, sem):
        super().__init__()
        self.n = n
        self.total = total
        self.sem = sem

    def run(self):
        self.sem.acquire()
        value = self.total.value
        self.total.value = value + self.n
        self.sem.release()


if __name__ == "__main__":
    total = Value("i", 0)
    sem = Semaphore(1)
    adders = [Adder(n, total, sem) for n in [1, 2, 4]]
    for a in adders:
        a.start()
    for a in adders:
        a.join()
    assert total.value == 7
