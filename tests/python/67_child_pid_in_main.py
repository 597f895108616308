# The parent prints each child's pid after starting it; nothing is shared.
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
from multiprocessing import Process
import os


def task(n):
    print(f"hijo {n}: {os.getpid()}")


if __name__ == "__main__":
    ps = [Process(target=task, args=(n,)) for n in range(2)]
    for p in ps:
        p.start()
        print(f"lanzado {p.pid}")
    for p in ps:
        p.join()
