# A room with two seats: Semaphore(2) bounds how many visitors are inside
# lines 19-25 at once. Five visitors, at most two inside, and two inside is
# reachable. The `inside` counter is updated under its own lock, so the
# visitor's check sees at most 2.
# expect: max-inside visitor 19-25: 2
# expect: reach-inside visitor 19-25: 2
# expect: overlap visitor: sometimes
# expect: assert: PROVED
# expect: lost-update: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
from multiprocessing import Process, Semaphore, Value, current_process
from time import sleep
from random import randint


def visitor(room, inside):
    with room:
        with inside.get_lock():
            inside.value += 1
            assert inside.value <= 2, "demasiada gente dentro"
        print(f"{current_process().pid} entra")
        sleep(randint(1, 3) / 10)
        with inside.get_lock():
            inside.value -= 1


if __name__ == "__main__":
    room = Semaphore(2)
    inside = Value("i", 0)
    visitors = [Process(target=visitor, args=(room, inside)) for _ in range(5)]
    for v in visitors:
        v.start()
    for v in visitors:
        v.join()
    print(f"Dentro al final: {inside.value}")
