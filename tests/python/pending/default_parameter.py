# pending: default parameter values (`def worker(counter, times=3)`)
# Two workers add 1 three times each under the Value's lock: always 6.
# expect: lost-update: PROVED
# expect: outcomes: 1
# expect: outcome: main prints: 6
from multiprocessing import Process, Value


def worker(counter, times=3):
    for _ in range(times):
        with counter.get_lock():
            counter.value += 1


if __name__ == "__main__":
    counter = Value("i", 0)
    ps = [Process(target=worker, args=(counter,)) for _ in range(2)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(counter.value)
