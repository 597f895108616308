# `import multiprocessing` with full names. The parent reads the shared total
# right after starting the children, before joining them: it can see 0, 1,
# 2 or 3 (any number of children may have run, and the lock makes every
# increment count). So "still 0" fails in some run and "at most 3" holds in
# every run; after the joins it is always 3 (when main gets there). What the
# parent printed before joining is part of each outcome: it saw 0, 1, 2 or 3.
# expect: assert@34: VIOLATED
# expect: assert@33: PROVED
# expect: assert@38: PROVED
# expect: lost-update: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcome: total.value = 3
# expect: outcomes: 4
# expect: outcome: main prints: El padre ve 0 antes de esperar
# expect: outcome: main prints: El padre ve 3 antes de esperar
import multiprocessing


def add_one(total):
    with total.get_lock():
        total.value += 1
    print(f"{multiprocessing.current_process().pid} ha sumado")


if __name__ == "__main__":
    total = multiprocessing.Value("i", 0)
    children = [multiprocessing.Process(target=add_one, args=(total,)) for _ in range(3)]
    for c in children:
        c.start()
    seen = total.value
    print(f"El padre ve {seen} antes de esperar")
    assert seen <= 3, "mas sumas que hijos"
    assert seen == 0, "los hijos ya han sumado"
    for c in children:
        c.join()
    print(f"Al final: {total.value}")
    assert total.value == 3
