# 12's extra release with a BoundedSemaphore(2). The bound is only checked
# against the count: the first printer out releases twice while the second
# is still inside (count 0 -> 2, no error), so three can be inside; a later
# extra release does exceed 2 and raises ValueError, in every run (8
# releases for 4 acquires).
# expect: runtime-error: VIOLATED
# expect: reach-inside printer 16-18: 3
# expect: deadlock: PROVED
from multiprocessing import Process, BoundedSemaphore
from time import sleep


def printer(k, sem):
    sem.acquire()
    print(f"[START] {k}")
    sleep(1 / 10)
    print(f"[END] {k}")
    sem.release()
    sem.release()


if __name__ == "__main__":
    sem = BoundedSemaphore(2)
    ps = [Process(target=printer, args=(k, sem)) for k in range(4)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
