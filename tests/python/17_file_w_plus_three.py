# 16 with three adders (4, 5, 6). Now a third `w+` open can empty the file
# after an adder has read "4" (offset 1) and before it writes: its 9 goes at
# offset 1 behind a NUL byte ("\x009"), and the parent's int() fails with a
# ValueError: a runtime error, besides the lost update. The sum the student
# expects, 15, is never the file's content: at best an adder writes it behind
# the others' digits ("410415").
# expect: lost-update: VIOLATED
# expect: runtime-error: VIOLATED
# expect: assert: VIOLATED
# expect: deadlock: PROVED
# expect: outcome: file total.txt = "6"
# expect: outcome: file total.txt = "\x009"
# expect: outcome: file total.txt = "410415"
# expect: no-outcome: file total.txt = "15"
from multiprocessing import Process


def adder(n):
    with open("total.txt", "w+") as fd:
        current = fd.readline() or 0
        accum = int(current) + n
        fd.write(str(accum))


if __name__ == "__main__":
    processes = [Process(target=adder, args=(n,)) for n in range(4, 7)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    with open("total.txt", "r") as fd:
        total = fd.readline() or 0
    print(f"Total: {int(total)}")
    assert int(total) == 15, "se ha perdido una suma"
