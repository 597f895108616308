# pending: critsec finding, not a missing construct: in the main process
# CPython's parent_process() is None, so `parent_process().pid` fails with
# AttributeError: 'NoneType' object has no attribute 'pid'; critsec reads it
# as parent_pid() and prints "padre de main: shell".
# expect: runtime-error: VIOLATED
# expect: outcome: main failed: AttributeError: 'NoneType' object has no attribute 'pid'
from multiprocessing import Process, parent_process


def task():
    print(f"hijo de {parent_process().pid}")


if __name__ == "__main__":
    print(f"padre de main: {parent_process().pid}")
    p = Process(target=task)
    p.start()
    p.join()
