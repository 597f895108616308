# pending: a Value's lock kept in a local (`lock = total.get_lock()`)
# get_lock() with acquire()/release(), and a nested `with` on the same
# Value lock: multiprocessing gives every Value an RLock, so taking it twice
# in the same process does not block. No deadlock, no lost update.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
# expect: outcome: total.value = 6
from multiprocessing import Process, Value


def add_twice(total, n):
    lock = total.get_lock()
    lock.acquire()
    total.value += n
    with total.get_lock():
        total.value += n
    lock.release()


if __name__ == "__main__":
    total = Value("i", 0)
    ps = [Process(target=add_twice, args=(total, n)) for n in range(1, 3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(total.value)
    assert total.value == 6
