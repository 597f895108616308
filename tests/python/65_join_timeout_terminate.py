# 21's two-lock deadlock, made to deadlock for real with a sleep between the
# two acquisitions, and ended by the parent: it waits a second for each
# transfer, reports the ones still alive and terminates them.
# expect: deadlock: VIOLATED
# expect: lost-update: PROVED
from multiprocessing import Process, Lock
from time import sleep


def transfer(lock_a, lock_b, forward):
    if forward:
        with lock_a:
            sleep(1 / 5)
            with lock_b:
                print("transferencia hecha")
    else:
        with lock_b:
            sleep(1 / 5)
            with lock_a:
                print("transferencia hecha")


if __name__ == "__main__":
    lock_a = Lock()
    lock_b = Lock()
    t1 = Process(target=transfer, args=(lock_a, lock_b, True))
    t2 = Process(target=transfer, args=(lock_a, lock_b, False))
    t1.start()
    t2.start()
    t1.join(1)
    t2.join(1)
    if t1.is_alive() or t2.is_alive():
        print("interbloqueo")
        t1.terminate()
        t2.terminate()
        t1.join()
        t2.join()
    print(f"codigos de salida: {t1.exitcode} {t2.exitcode}")
