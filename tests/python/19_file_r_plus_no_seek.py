# 18 without the seek(0): after read() the offset is at the end of the file,
# so the new sum is appended to the old number instead of replacing it. The
# lock rules out a race (no lost update), but the file ends as "037" or
# "047" depending on which adder went first, and the assert fails.
# expect: lost-update: PROVED
# expect: assert: VIOLATED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 2
# expect: outcome: file counter.txt = "037"
# expect: outcome: file counter.txt = "047"
from multiprocessing import Process, Lock


def adder(lock, n):
    with lock:
        with open("counter.txt", "r+") as f:
            value = int(f.read())
            f.write(str(value + n))


if __name__ == "__main__":
    with open("counter.txt", "w") as f:
        f.write("0")
    lock = Lock()
    adders = [Process(target=adder, args=(lock, n)) for n in range(3, 5)]
    for a in adders:
        a.start()
    for a in adders:
        a.join()
    with open("counter.txt") as f:
        total = int(f.read())
    print(f"Total: {total}")
    assert total == 7, f"el fichero dice {total}"
