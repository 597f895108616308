# Tutorial 04's identities, every way a student writes them: a child's
# current_process().pid is its os.getpid(), and its parent_process().pid is
# its os.getppid(), the parent's pid recorded before the fork. The asserts
# hold in every run; nothing is shared, so nothing races.
# expect: assert: PROVED
# expect: lost-update: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
import os
from multiprocessing import Process, current_process, parent_process

parent = os.getpid()


def task(n):
    me = current_process()
    print(f"Hijo {n}: pid {me.pid}, padre {parent_process().pid}")
    assert me.pid == os.getpid()
    assert parent_process().pid == os.getppid()
    assert os.getppid() == parent, "el padre no es main"


if __name__ == "__main__":
    print(f"Padre: {current_process().pid}")
    tasks = [Process(target=task, args=(n,)) for n in range(3)]
    for t in tasks:
        t.start()
    for t in tasks:
        t.join()
    assert current_process().pid == parent
