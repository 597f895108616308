# Workers named by the parent print their names; nothing is shared.
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: prints: worker#1 "Soy Trabajador-1"
from multiprocessing import Process, current_process


def worker():
    print(f"Soy {current_process().name}")


if __name__ == "__main__":
    ws = [Process(target=worker, name=f"Trabajador-{k}") for k in range(1, 3)]
    for w in ws:
        w.start()
    for w in ws:
        w.join()
