# 25's busy wait written with `while True` and `break`.
# expect: assert: PROVED
# expect: progress: PROVED
from multiprocessing import Process, Value


def setter(data, ready):
    data.value = 42
    ready.value = 1


def waiter(data, ready):
    while True:
        if ready.value == 1:
            break
    assert data.value == 42


if __name__ == "__main__":
    data = Value("i", 0)
    ready = Value("i", 0)
    w = Process(target=waiter, args=(data, ready))
    s = Process(target=setter, args=(data, ready))
    w.start()
    s.start()
    s.join()
    w.join()
