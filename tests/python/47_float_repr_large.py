# once a critsec finding, now fixed: a float of 1e16 or more
# is printed in fixed notation ("33333333333333332.0") where CPython's repr
# switches to exponent notation ("3.3333333333333332e+16").
# Three big deposits under the Value's lock, and their average.
# expect: lost-update: PROVED
# expect: outcome: main prints: Media: 3.3333333333333332e+16
from multiprocessing import Process, Value


def deposit(total, amount):
    with total.get_lock():
        total.value += amount


if __name__ == "__main__":
    total = Value("q", 0)
    ps = [Process(target=deposit, args=(total, a)) for a in [10000000000000000, 40000000000000000, 50000000000000000]]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(f"Media: {total.value / 3}")
