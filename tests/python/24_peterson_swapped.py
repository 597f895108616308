# Peterson with two lines swapped, as students often write it: the turn is
# given away before the flag is raised. The first gives the turn, the second
# gives it back, raises its flag and enters (the first's flag is still
# down); the first raises its flag and enters too, the turn being its own.
# Both inside: the `+=` of one is lost.
# expect: lost-update: VIOLATED
# expect: assert: VIOLATED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: progress: PROVED
# expect: outcome: total.value = 1
# expect: outcome: total.value = 3
from multiprocessing import Process, Array, Value


def worker(me, x, flag, turn, total):
    other = 1 - me
    turn.value = other
    flag[me] = 1
    while flag[other] == 1 and turn.value == other:
        pass
    total.value += x
    flag[me] = 0


if __name__ == "__main__":
    flag = Array("i", [0, 0])
    turn = Value("i", 0)
    total = Value("i", 0)
    a = Process(target=worker, args=(0, 1, flag, turn, total))
    b = Process(target=worker, args=(1, 2, flag, turn, total))
    a.start()
    b.start()
    a.join()
    b.join()
    assert total.value == 3, "se ha perdido una suma"
