# Tutorial 06's surprise: a plain global is not shared. Each child adds to
# its own copy (fork copies the parent's memory), so the parent's counter is
# still 0 after the joins, in every run. No shared cell, so no lost update.
# expect: assert: PROVED
# expect: lost-update: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
# expect: outcome: main prints: Contador del padre: 0
from multiprocessing import Process

counter = 0


def add(n):
    global counter
    counter += n
    print(f"Contador del hijo: {counter}")
    assert counter == n, "el hijo ve sumas de otros"


if __name__ == "__main__":
    ps = [Process(target=add, args=(n,)) for n in range(1, 4)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(f"Contador del padre: {counter}")
    assert counter == 0
