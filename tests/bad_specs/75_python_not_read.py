# 75: what the Python reader does not read: a Queue, a helper function, a class
# that is not a Process, one parameter given two different locks, threads
# error: 16:7: class `Counter` is not a Process subclass
# error: 22:15: critsec reads a call to the helper function `helper` as a statement or as `x = helper(...)`
# error: 26:9: a `Queue` is not modelled by critsec yet
# error: 30:42: `lock` gets `b` here and `a` at another start: critsec reads a shared parameter as one object
# error: 31:9: `threading.Thread`: critsec checks processes, not threads or tasks
from multiprocessing import Process, Queue, Lock
import threading


def helper(x):
    return x + 1


class Counter:
    pass


def worker(q, lock):
    with lock:
        q.put(helper(1))


if __name__ == "__main__":
    q = Queue()
    a = Lock()
    b = Lock()
    p1 = Process(target=worker, args=(q, a))
    p2 = Process(target=worker, args=(q, b))
    t = threading.Thread(target=worker)
    p1.start()
    p2.start()
    p1.join()
    p2.join()
