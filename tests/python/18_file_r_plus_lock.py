# The file counter done right: the parent creates the file with "0", each
# adder opens it with `r+` (no truncation) under a Lock, reads the number,
# goes back to the start with seek(0) and writes the new sum. The sums only
# grow, so a new number always covers the old one: 10 + 20 + 30 = 60.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
# expect: outcome: file counter.txt = "60"
from multiprocessing import Process, Lock


def adder(lock, n):
    with lock:
        with open("counter.txt", "r+") as f:
            value = int(f.read())
            f.seek(0)
            f.write(str(value + n))


if __name__ == "__main__":
    with open("counter.txt", "w") as f:
        f.write("0")
    lock = Lock()
    adders = [Process(target=adder, args=(lock, 10 * k)) for k in range(1, 4)]
    for a in adders:
        a.start()
    for a in adders:
        a.join()
    with open("counter.txt") as f:
        total = int(f.read())
    print(f"Total: {total}")
    assert total == 60
