# pending: a format specification in an f-string (`{x:.1f}`)
# Tutorial 10's average printed with one decimal.
# expect: lost-update: PROVED
# expect: outcome: main prints: Promedio: 1.2
from multiprocessing import Process, Value, Lock


def add(total, lock, n):
    with lock:
        total.value += n


if __name__ == "__main__":
    total = Value("i", 0)
    lock = Lock()
    ps = [Process(target=add, args=(total, lock, n)) for n in range(1, 4)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(f"Promedio: {total.value / 5:.1f}")
