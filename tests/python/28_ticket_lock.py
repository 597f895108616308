# A ticket lock: take the next ticket under the Value's own lock (a
# fetch-and-increment), spin until `serving` reaches it, and serve the next
# ticket on the way out. First come, first served: mutual exclusion, and
# every spin ends.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: progress: PROVED
# expect: outcome: total.value = 7
# expect: no-outcome: total.value = 6
import multiprocessing as mp


def worker(x, next_ticket, serving, total):
    with next_ticket.get_lock():
        mine = next_ticket.value
        next_ticket.value += 1
    while serving.value != mine:
        pass
    total.value += x
    serving.value += 1


if __name__ == "__main__":
    next_ticket = mp.Value("i", 0)
    serving = mp.Value("i", 0)
    total = mp.Value("i", 0)
    ws = [mp.Process(target=worker, args=(x, next_ticket, serving, total)) for x in [1, 2, 4]]
    for w in ws:
        w.start()
    for w in ws:
        w.join()
    assert total.value == 7, "se ha perdido una suma"
    assert serving.value == 3
