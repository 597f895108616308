# A Value of typecode "b" (a signed char, -128 to 127) holding a score: 120
# plus two bonuses of 5 under the lock is 130, which ctypes stores wrapped,
# as -126, without any error. No race and no runtime error, just the wrong
# typecode.
# expect: lost-update: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: assert: VIOLATED
# expect: outcomes: 1
# expect: outcome: score.value = -126
from multiprocessing import Process, Value


def bonus(score, points):
    with score.get_lock():
        score.value += points


if __name__ == "__main__":
    score = Value("b", 120)
    ps = [Process(target=bonus, args=(score, 5)) for _ in range(2)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(f"Puntos: {score.value}")
    assert score.value == 130, "el valor ha dado la vuelta"
