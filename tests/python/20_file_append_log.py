# Each worker appends one line to a log opened with "a": an append goes to
# the end of the file atomically, and nobody reads before writing, so no
# update is lost. Only the order of the two lines varies: two outcomes.
# expect: lost-update: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 2
# expect: outcome: file log.txt = "worker 1\nworker 2\n"
# expect: outcome: file log.txt = "worker 2\nworker 1\n"
import os
from multiprocessing import Process


def worker(k):
    with open("log.txt", "a") as log:
        log.write(f"worker {k}\n")
    print(f"{os.getpid()} ha escrito")


if __name__ == "__main__":
    ws = [Process(target=worker, args=(k,)) for k in range(1, 3)]
    for w in ws:
        w.start()
    for w in ws:
        w.join()
