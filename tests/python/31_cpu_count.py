# cpu_count() in both spellings: multiprocessing.cpu_count() and
# os.cpu_count() answer the same on one machine, in the parent and in every
# child. Each child records its answer in its cell of an Array; the parent
# checks them after the joins.
# expect: assert: PROVED
# expect: lost-update: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
import os
from multiprocessing import Process, Array, cpu_count


def report(cores, i):
    cores[i] = os.cpu_count()
    print(f"Hijo {i}: {cpu_count()} cores")


if __name__ == "__main__":
    print(f"Ejecutado con CPU con un total de {cpu_count()} cores")
    cores = Array("i", 3)
    ps = [Process(target=report, args=(cores, i)) for i in range(3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    for i in range(3):
        assert cores[i] == cpu_count(), "otro numero de cores"
