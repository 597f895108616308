# A daemon child the parent does not join: it may not run at all before the
# parent exits (and is killed then). Nothing is shared.
# expect: deadlock: PROVED
from multiprocessing import Process


def worker(n):
    print(f"Worker: {n}")


if __name__ == "__main__":
    p = Process(target=worker, args=(1,), daemon=True)
    p.start()
    print("padre terminado")
