# Dekker's lock for two Process subclasses: raise your flag; while the
# other's flag is up, if it is not your turn lower your flag, wait for your
# turn and raise it again. Mutual exclusion and progress both hold.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: progress: PROVED
from multiprocessing import Process, Array, Value


class Worker(Process):
    def __init__(self, me, x, flag, turn, total):
        super().__init__()
        self._me = me
        self._x = x
        self._flag = flag
        self._turn = turn
        self._total = total

    def run(self):
        other = 1 - self._me
        self._flag[self._me] = 1
        while self._flag[other] == 1:
            if self._turn.value != self._me:
                self._flag[self._me] = 0
                while self._turn.value != self._me:
                    pass
                self._flag[self._me] = 1
        self._total.value += self._x
        self._turn.value = other
        self._flag[self._me] = 0


if __name__ == "__main__":
    flag = Array("i", [0, 0])
    turn = Value("i", 0)
    total = Value("i", 0)
    workers = [Worker(0, 1, flag, turn, total), Worker(1, 2, flag, turn, total)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert total.value == 3, "se ha perdido una suma"
