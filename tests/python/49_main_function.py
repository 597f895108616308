# read since the reader learnt it: the parent's code in a `def main():` called under `if __name__ == "__main__":`
# Two workers add 1 under the Value's lock: always 2.
# expect: lost-update: PROVED
# expect: outcomes: 1
# expect: outcome: main prints: 2
import time
import random
from multiprocessing import Process, Value


def worker(total):
    time.sleep(random.randint(1, 2) / 100)
    with total.get_lock():
        total.value += 1


def main():
    total = Value("i", 0)
    ps = [Process(target=worker, args=(total,)) for _ in range(2)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(total.value)


if __name__ == "__main__":
    main()
