# Two transfers take two locks in opposite orders: each can hold its first
# lock and wait for the other's. A deadlock is reachable (main waits in join
# for ever). In a real run the first transfer usually finishes before the
# second starts, so `python3` nearly always ends; the checker finds the
# interleaving where it does not.
# expect: deadlock: VIOLATED
# expect: lost-update: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 2
# expect: outcome: deadlock: main, transfer#1, transfer#2 blocked
# expect: outcome: a.value = 10
from multiprocessing import Process, Value, Lock


def transfer(a, b, lock_a, lock_b, forward):
    if forward:
        with lock_a:
            with lock_b:
                a.value -= 1
                b.value += 1
    else:
        with lock_b:
            with lock_a:
                b.value -= 1
                a.value += 1


if __name__ == "__main__":
    a = Value("i", 10)
    b = Value("i", 10)
    lock_a = Lock()
    lock_b = Lock()
    t1 = Process(target=transfer, args=(a, b, lock_a, lock_b, True))
    t2 = Process(target=transfer, args=(a, b, lock_a, lock_b, False))
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    print(f"a = {a.value}, b = {b.value}")
