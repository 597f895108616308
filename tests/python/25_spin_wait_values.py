# A busy wait on two shared Values: the waiter spins (with a short sleep)
# until the setter raises `ready`; the setter writes the data first, so the
# waiter always reads 42. Every spin returns to a state already seen, so
# the checker proves it for any number of spins, and the spin always ends.
# expect: assert: PROVED
# expect: lost-update: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: progress: PROVED
# expect: prints: waiter#1 "dato: 42"
from multiprocessing import Process, Value
from time import sleep


def setter(data, ready):
    data.value = 42
    ready.value = 1


def waiter(data, ready):
    while ready.value == 0:
        sleep(0)
    print(f"dato: {data.value}")
    assert data.value == 42, "he visto la bandera antes que el dato"


if __name__ == "__main__":
    data = Value("i", 0)
    ready = Value("i", 0)
    w = Process(target=waiter, args=(data, ready))
    s = Process(target=setter, args=(data, ready))
    w.start()
    s.start()
    s.join()
    w.join()
