# The "the parent reads the total before joining": three children add
# 1, 2 and 4 under the Value's lock, and the parent prints the total right
# after starting them. Any set of the children may have added by then, so it
# can print any of 0 to 7; after the joins it always prints 7. What main
# prints while its children run is part of the outcome, in main's order.
# expect: lost-update: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 8
# expect: outcome: main prints: antes de esperar: 0
# expect: outcome: main prints: antes de esperar: 5
# expect: outcome: main prints: antes de esperar: 7
# expect: outcome: main prints: al final: 7
# expect: no-outcome: main prints: antes de esperar: 8
from multiprocessing import Process, Value


def add(total, n):
    with total.get_lock():
        total.value += n


if __name__ == "__main__":
    total = Value("i", 0)
    adders = [Process(target=add, args=(total, n)) for n in [1, 2, 4]]
    for a in adders:
        a.start()
    print(f"antes de esperar: {total.value}")
    for a in adders:
        a.join()
    print(f"al final: {total.value}")
