# Shared objects made at the top of the module and used by name in the
# targets, not passed (this works because fork copies the module; the
# objects themselves live in shared memory). A subtractor takes the same
# lock through a parameter. Adders of 1, 2, 3 and a subtraction of 6: every
# update counts, so the total ends at 0; halfway it may be negative.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
# expect: outcome: total.value = 0
from multiprocessing import Process, Value, Lock

lock = Lock()
total = Value("i", 0)


def add(n):
    with lock:
        total.value += n


def sub(amount, counter, guard):
    with guard:
        counter.value -= amount


if __name__ == "__main__":
    ps = [Process(target=add, args=(n,)) for n in range(1, 4)]
    q = Process(target=sub, args=(6, total, lock))
    for p in ps:
        p.start()
    q.start()
    for p in ps:
        p.join()
    q.join()
    print(total.value)
    assert total.value == 0
