# A Semaphore(2) room written with acquire()/release(), where the student
# releases once more "to be safe". A Semaphore has no upper bound, so each
# extra release adds a seat: after the first printer leaves, three can be
# inside at once, never four (only a printer that leaves adds seats). No
# error is raised (it is not a BoundedSemaphore).
# expect: reach-inside Printer 22-24: 3
# expect: max-inside Printer 22-24: 3
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
from multiprocessing import Process, Semaphore, current_process
from time import sleep


class Printer(Process):
    def __init__(self, k, sem):
        super().__init__()
        self.k = k
        self.sem = sem

    def run(self):
        self.sem.acquire()
        print(f"[START] {self.k} {current_process().pid}")
        sleep(1 / 10)
        print(f"[END] {self.k}")
        self.sem.release()
        self.sem.release()


if __name__ == "__main__":
    sem = Semaphore(2)
    printers = [Printer(k, sem) for k in range(4)]
    for p in printers:
        p.start()
    for p in printers:
        p.join()
