# A misuse of get_lock(): the student reads the total outside the lock and
# only takes it for the write. Two adders can read the same old value, then
# write one after the other under the lock: the first write is lost.
# expect: lost-update: VIOLATED
# expect: assert: VIOLATED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 3
# expect: outcome: total.value = 2
# expect: outcome: total.value = 5
from multiprocessing import Process, Value


def add(total, n):
    old = total.value
    with total.get_lock():
        total.value = old + n


if __name__ == "__main__":
    total = Value("i", 0)
    p = Process(target=add, args=(total, 2))
    q = Process(target=add, args=(total, 3))
    p.start()
    q.start()
    p.join()
    q.join()
    assert total.value == 5, f"total es {total.value}"
