# Workers report under the lock; the total is always 2.
# expect: lost-update: PROVED
# expect: outcome: main prints: 2
from multiprocessing import Process, Value


def worker(total):
    with total.get_lock():
        total.value += 1
    print("hecho", flush=True)


if __name__ == "__main__":
    total = Value("i", 0)
    ps = [Process(target=worker, args=(total,)) for _ in range(2)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(total.value)
