# Two workers add 1 to a shared counter, three times each, with no lock.
# `counter.value += 1` is a read then a write (each under the Value's own
# lock, but not both together): a worker can read 0, the other write 1, and
# the first write 1 again. One increment is lost, so the final count can be
# anything from 2 to 6 (2: each worker's last write erases all of the other's).
# expect: lost-update: VIOLATED
# expect: assert: VIOLATED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 5
# expect: outcome: counter.value = 6
# expect: outcome: counter.value = 2
# expect: no-outcome: counter.value = 1
from multiprocessing import Process, Value


def worker(counter):
    for _ in range(3):
        counter.value += 1


if __name__ == "__main__":
    counter = Value("i", 0)
    workers = [Process(target=worker, args=(counter,)) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print(f"Contador final: {counter.value}")
    assert counter.value == 6, "se ha perdido un incremento"
