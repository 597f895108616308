# 08 without the lock: a classic check-then-act race. Two withdrawals of 60
# from 100 can both see 100 >= 60 before either writes, so both withdraw
# and the balance ends at 40 (a lost update) or -20 (both writes count after
# both checks passed): the `>= 0` assert fails.
# expect: lost-update: VIOLATED
# expect: assert@37: VIOLATED
# expect: deadlock: PROVED
# expect: runtime-error: PROVED
# expect: outcomes: 2
# expect: outcome: balance.value = -20
# expect: outcome: balance.value = 40
import multiprocessing as mp


class Withdraw(mp.Process):
    def __init__(self, amount, balance):
        super().__init__()
        self.amount = amount
        self.balance = balance

    def run(self):
        if self.balance.value >= self.amount:
            self.balance.value -= self.amount
            print(f"{mp.current_process().pid} retira {self.amount}")
        else:
            print(f"{mp.current_process().pid} no tiene saldo")


if __name__ == "__main__":
    balance = mp.Value("i", 100)
    ws = [Withdraw(60, balance) for _ in range(2)]
    for w in ws:
        w.start()
    for w in ws:
        w.join()
    print(f"Saldo: {balance.value}")
    assert balance.value >= 0, "saldo negativo"
