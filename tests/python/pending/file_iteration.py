# pending: iterating over a file (`for line in f:`)
# Workers append a line each; the parent counts the lines.
# expect: lost-update: PROVED
# expect: assert: PROVED
from multiprocessing import Process


def worker(k):
    with open("log.txt", "a") as f:
        f.write(f"linea {k}\n")


if __name__ == "__main__":
    ws = [Process(target=worker, args=(k,)) for k in range(3)]
    for w in ws:
        w.start()
    for w in ws:
        w.join()
    lines = 0
    with open("log.txt") as f:
        for line in f:
            lines += 1
    assert lines == 3
