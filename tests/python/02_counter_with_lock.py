# 01 fixed with a Lock passed to each worker: the read and the write of
# `counter.value += 1` happen inside `with lock:`, so no other worker can
# write in between and every increment counts: one outcome, 6.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
# expect: outcome: counter.value = 6
# expect: outcome: main prints: Contador final: 6
from multiprocessing import Process, Value, Lock


def worker(counter, lock):
    for _ in range(3):
        with lock:
            counter.value += 1


if __name__ == "__main__":
    counter = Value("i", 0)
    lock = Lock()
    workers = [Process(target=worker, args=(counter, lock)) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print(f"Contador final: {counter.value}")
    assert counter.value == 6, "se ha perdido un incremento"
