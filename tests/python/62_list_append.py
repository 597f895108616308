# Tutorial 10's locked adders, the list built in a loop: no lost update.
# expect: lost-update: PROVED
# expect: assert: PROVED
from multiprocessing import Process, Value, Lock


def add(total, lock, n):
    with lock:
        total.value += n


if __name__ == "__main__":
    total = Value("i", 0)
    lock = Lock()
    processes = []
    for n in range(1, 4):
        p = Process(target=add, args=(total, lock, n))
        processes.append(p)
        p.start()
    for p in processes:
        p.join()
    assert total.value == 6
