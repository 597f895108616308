# pending: a list comprehension run for its calls (`[p.start() for p in ps]`)
# Workers add 1 under the Value's lock: always 2.
# expect: lost-update: PROVED
# expect: outcome: main prints: 2
from multiprocessing import Process, Value


def worker(total):
    with total.get_lock():
        total.value += 1


if __name__ == "__main__":
    total = Value("i", 0)
    ps = [Process(target=worker, args=(total,)) for _ in range(2)]
    [p.start() for p in ps]
    [p.join() for p in ps]
    print(total.value)
