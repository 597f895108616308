# The student releases the lock by hand after a `with` block that already
# released it. A multiprocessing Lock released when nobody holds it raises
# ValueError ("semaphore or lock released too many times"): the worker fails
# after its update, which still counts. The parent is not affected.
# expect: runtime-error: VIOLATED
# expect: lost-update: PROVED
# expect: deadlock: PROVED
# expect: outcomes: 1
# expect: outcome: total.value = 5
# expect: outcome: worker#1 failed: ValueError: semaphore or lock released too many times
from multiprocessing import Process, Value, Lock


def worker(total, lock):
    with lock:
        total.value += 5
    lock.release()
    print("no llego aqui")


if __name__ == "__main__":
    total = Value("i", 0)
    lock = Lock()
    w = Process(target=worker, args=(total, lock))
    w.start()
    w.join()
    print(f"Total: {total.value}")
