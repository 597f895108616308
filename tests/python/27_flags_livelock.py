# Raise your flag first, then wait while the other's is up. Now both cannot
# be inside together, but if both raise their flags before either looks,
# each waits for the other for ever: not a deadlock (both keep spinning),
# but no progress. Started one after the other, a real run nearly always
# ends: the first is done before the second raises its flag.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: progress: VIOLATED
from multiprocessing import Process, Array, Value


def worker(me, x, flag, total):
    other = 1 - me
    flag[me] = 1
    while flag[other] == 1:
        pass
    total.value += x
    flag[me] = 0


if __name__ == "__main__":
    flag = Array("i", [0, 0])
    total = Value("i", 0)
    a = Process(target=worker, args=(0, 1, flag, total))
    b = Process(target=worker, args=(1, 2, flag, total))
    a.start()
    b.start()
    a.join()
    b.join()
    assert total.value == 3, "se ha perdido una suma"
