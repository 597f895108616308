# The parent asks whether the child is still running right after starting
# it: either answer is possible, then it joins.
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 2
# expect: outcome: main prints: sigue vivo
# expect: outcome: main prints: ya ha terminado
from multiprocessing import Process


def worker(n):
    print(f"Worker: {n}")


if __name__ == "__main__":
    p = Process(target=worker, args=(1,))
    p.start()
    print("sigue vivo" if p.is_alive() else "ya ha terminado")
    p.join()
