# 02's locked counter with the worker's arguments given by name in kwargs=
# (a dict with a string key per parameter, in any order), and its own step.
# The lock covers the `+=`: one outcome, 2 workers x 3 increments of 2.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: outcomes: 1
# expect: outcome: counter.value = 12
from multiprocessing import Process, Value, Lock


def worker(counter, lock, step):
    for _ in range(3):
        with lock:
            counter.value += step


if __name__ == "__main__":
    counter = Value("i", 0)
    lock = Lock()
    ws = [Process(target=worker, kwargs={"step": 2, "counter": counter, "lock": lock}) for _ in range(2)]
    for w in ws:
        w.start()
    for w in ws:
        w.join()
    assert counter.value == 12
