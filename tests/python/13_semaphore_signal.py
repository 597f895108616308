# Semaphore(0) as a signal: the producer writes the data and then releases;
# the consumer acquires before reading, so it always reads 42, whichever
# process starts first. (Without the semaphore the read could see 0.)
# expect: assert: PROVED
# expect: lost-update: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
# expect: prints: consumer#1 "Leido: 42"
from multiprocessing import Process, Semaphore, Value


def producer(data, ready):
    data.value = 42
    ready.release()


def consumer(data, ready):
    ready.acquire()
    got = data.value
    print(f"Leido: {got}")
    assert got == 42, "leido antes de escribir"


if __name__ == "__main__":
    data = Value("i", 0)
    ready = Semaphore(0)
    c = Process(target=consumer, args=(data, ready))
    p = Process(target=producer, args=(data, ready))
    c.start()
    p.start()
    c.join()
    p.join()
