# pending: BoundedSemaphore
# 12's extra release with a BoundedSemaphore(2): the extra release raises
# ValueError instead of adding a seat, so never more than two inside.
# expect: runtime-error: VIOLATED
# expect: max-inside printer 14-15: 2
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
