# Tutorial 09 with two adders of fixed amounts (3 and 4) as target functions.
# `w+` empties the file at open, so an adder reads "" unless the other wrote
# between its open and its read; a read of "3" leaves the offset at 1, and
# the 7 goes after the 3. So the file ends as "3", "4", "37" or "47", never
# the "7" the student expects: a lost update, and the assert fails.
# expect: lost-update: VIOLATED
# expect: assert: VIOLATED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 4
# expect: outcome: file total.txt = "37"
# expect: outcome: file total.txt = "4"
# expect: no-outcome: file total.txt = "7"
from multiprocessing import Process


def adder(n):
    with open("total.txt", "w+") as fd:
        current = fd.readline() or 0
        accum = int(current) + n
        fd.write(str(accum))
    print(f"Acumulado hasta ahora: {accum}")


if __name__ == "__main__":
    processes = [Process(target=adder, args=(n,)) for n in range(3, 5)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    with open("total.txt", "r") as fd:
        total = fd.readline() or 0
    print(f"Total: {int(total)}")
    assert int(total) == 7, "se ha perdido una suma"
