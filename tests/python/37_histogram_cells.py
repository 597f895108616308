# Four workers count even and odd numbers into a two-cell Array: workers 0
# and 2 both `+=` cell 0, workers 1 and 3 cell 1. Two workers on one cell
# race as on a Value: a count can be lost. (Cells of different indices do
# not interfere.)
# expect: lost-update: VIOLATED
# expect: assert: VIOLATED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 4
# expect: outcome: hist = [2, 2]
# expect: outcome: hist = [1, 1]
# expect: no-outcome: hist = [0, 2]
from multiprocessing import Process, Array


def count(hist, k):
    hist[k % 2] += 1


if __name__ == "__main__":
    hist = Array("i", 2)
    ws = [Process(target=count, args=(hist, k)) for k in range(4)]
    for w in ws:
        w.start()
    for w in ws:
        w.join()
    print(f"Pares: {hist[0]}, impares: {hist[1]}")
    assert hist[0] == 2 and hist[1] == 2
