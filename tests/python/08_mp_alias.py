# `import multiprocessing as mp` style: mp.Value, mp.Lock, mp.Process. A
# Process subclass withdraws from a shared balance if there is enough; the
# check and the withdrawal are one critical section, so the balance never
# goes below zero: of three withdrawals of 40 from 100, exactly two succeed.
# expect: lost-update: PROVED
# expect: assert: PROVED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 1
# expect: outcome: balance.value = 20
import multiprocessing as mp


class Withdraw(mp.Process):
    def __init__(self, amount, balance, lock):
        super().__init__()
        self.amount = amount
        self.balance = balance
        self.lock = lock

    def run(self):
        with self.lock:
            if self.balance.value >= self.amount:
                self.balance.value -= self.amount
                print(f"{mp.current_process().pid} retira {self.amount}")


if __name__ == "__main__":
    balance = mp.Value("i", 100)
    lock = mp.Lock()
    ws = [Withdraw(40, balance, lock) for _ in range(3)]
    for w in ws:
        w.start()
    for w in ws:
        w.join()
    print(f"Saldo: {balance.value}")
    assert balance.value >= 0, "saldo negativo"
    assert balance.value == 20
