# fork copies the parent's memory at start(): a child sees a plain global as
# it was when it was started. The parent sets it to 5, starts the first
# child, sets it to 7, starts the second: they print 5 and 7, whatever the
# interleaving of the rest.
# expect: prints: show#1 "hijo 1 ve 5"
# expect: prints: show#2 "hijo 2 ve 7"
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
from multiprocessing import Process

counter = 0


def show(k):
    print(f"hijo {k} ve {counter}")


if __name__ == "__main__":
    counter = 5
    a = Process(target=show, args=(1,))
    b = Process(target=show, args=(2,))
    a.start()
    counter = 7
    b.start()
    a.join()
    b.join()
