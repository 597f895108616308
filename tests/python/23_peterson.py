# Peterson's lock for two processes from shared memory alone: a flag per
# process in an Array and a `turn` Value. Each raises its flag, gives the
# turn away and spins while the other wants in and has the turn. Mutual
# exclusion holds and the spin always ends (the one with the turn goes on).
# Two outcomes, both with total 22: they differ only in who gave the turn last.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: progress: PROVED
# expect: outcomes: 2
# expect: outcome: turn.value = 1
# expect: no-outcome: total.value = 21
from multiprocessing import Process, Array, Value


class Worker(Process):
    def __init__(self, me, x, flag, turn, total):
        super().__init__()
        self.me = me
        self.x = x
        self.flag = flag
        self.turn = turn
        self.total = total

    def run(self):
        other = 1 - self.me
        for _ in range(2):
            self.flag[self.me] = 1
            self.turn.value = other
            while self.flag[other] == 1 and self.turn.value == other:
                pass
            self.total.value += self.x
            self.flag[self.me] = 0


if __name__ == "__main__":
    flag = Array("i", [0, 0])
    turn = Value("i", 0)
    total = Value("i", 0)
    a = Worker(0, 1, flag, turn, total)
    b = Worker(1, 10, flag, turn, total)
    a.start()
    b.start()
    a.join()
    b.join()
    print(f"Total: {total.value}")
    assert total.value == 22, "se ha perdido una suma"
