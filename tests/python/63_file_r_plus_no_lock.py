# Was a critsec bug (the explorer forgot a multi-step file read's load at its
# own pc, and missed this lost update): kept as its regression.
# 18 without the Lock: two adders can both read "0" and both write their own
# sum at offset 0; the second write covers the first. The file ends as "1",
# "2" or "3" (only "3" when one read the other's write).
# expect: lost-update: VIOLATED
# expect: assert: VIOLATED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 3
# expect: outcome: file counter.txt = "1"
# expect: outcome: file counter.txt = "3"
from multiprocessing import Process


def adder(n):
    with open("counter.txt", "r+") as f:
        value = int(f.read())
        f.seek(0)
        f.write(str(value + n))


if __name__ == "__main__":
    with open("counter.txt", "w") as f:
        f.write("0")
    adders = [Process(target=adder, args=(n,)) for n in range(1, 3)]
    for a in adders:
        a.start()
    for a in adders:
        a.join()
    with open("counter.txt") as f:
        total = int(f.read())
    print(f"Total: {total}")
    assert total == 3
