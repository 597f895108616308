# pending: a shared float (`Value("d", 0.0)`): refused with "typecode \"d\" (a C double) is not supported"
# Average of three measures accumulated under the Value's lock.
# expect: lost-update: PROVED
# expect: outcome: main prints: Media: 2.0
from multiprocessing import Process, Value


def measure(total, x):
    with total.get_lock():
        total.value += x


if __name__ == "__main__":
    total = Value("d", 0.0)
    ps = [Process(target=measure, args=(total, x)) for x in range(1, 4)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(f"Media: {total.value / 3}")
