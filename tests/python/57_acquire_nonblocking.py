# A worker that cannot get the lock at once skips its update: so the total
# is 1, 2 or 3, never more, and no update is half done.
# expect: lost-update: PROVED
# expect: deadlock: PROVED
# expect: outcome: total.value = 3
from multiprocessing import Process, Value, Lock


def add(total, lock, n):
    if lock.acquire(block=False):
        total.value += n
        lock.release()
    else:
        print(f"{n}: ocupado, no sumo")


if __name__ == "__main__":
    total = Value("i", 0)
    lock = Lock()
    ps = [Process(target=add, args=(total, lock, n)) for n in range(1, 3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(total.value)
