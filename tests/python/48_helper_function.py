# read since the reader learnt it: a plain helper function called from a process target
# The increment lives in a helper the worker calls under the lock: the same
# program as 02, so the same verdicts.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
from multiprocessing import Process, Value, Lock


def increment(counter):
    counter.value += 1


def worker(counter, lock):
    for _ in range(3):
        with lock:
            increment(counter)


if __name__ == "__main__":
    counter = Value("i", 0)
    lock = Lock()
    workers = [Process(target=worker, args=(counter, lock)) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert counter.value == 6
