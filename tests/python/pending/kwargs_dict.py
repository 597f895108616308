# pending: `range(times)` with a parameter as its bound (its `kwargs=` is read; tests/python/59_kwargs_dict.py)
# 02's locked counter with the worker's arguments given by name in kwargs=.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: outcomes: 1
from multiprocessing import Process, Value, Lock


def worker(counter, lock, times):
    for _ in range(times):
        with lock:
            counter.value += 1


if __name__ == "__main__":
    counter = Value("i", 0)
    lock = Lock()
    ws = [Process(target=worker, kwargs={"counter": counter, "lock": lock, "times": 3}) for _ in range(2)]
    for w in ws:
        w.start()
    for w in ws:
        w.join()
    assert counter.value == 6
