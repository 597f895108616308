# Producer and consumer over a two-slot ring buffer (an Array), with the
# classic three semaphores: `empty` counts free slots, `full` filled ones,
# `mutex` guards the buffer. The consumer gets 1, 2, 3 in order, and the
# producer never overwrites an unread slot.
# expect: assert: PROVED
# expect: lost-update: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
# expect: prints: consumer#1 "suma: 6"
from multiprocessing import Process, Array, Semaphore


def producer(buffer, empty, full, mutex):
    for item in range(1, 4):
        empty.acquire()
        with mutex:
            buffer[item % 2] = item
        full.release()


def consumer(buffer, empty, full, mutex):
    total = 0
    for expected in range(1, 4):
        full.acquire()
        with mutex:
            item = buffer[expected % 2]
        empty.release()
        assert item == expected, "he leido un dato que no tocaba"
        total += item
    print(f"suma: {total}")


if __name__ == "__main__":
    buffer = Array("i", 2)
    empty = Semaphore(2)
    full = Semaphore(0)
    mutex = Semaphore(1)
    c = Process(target=consumer, args=(buffer, empty, full, mutex))
    p = Process(target=producer, args=(buffer, empty, full, mutex))
    c.start()
    p.start()
    p.join()
    c.join()
