# Generates the N-adders scenario as a critsec spec (default) or a Promela model (--pml).
# usage: gen_adders.py N locked|unlocked fixed|rand [--pml [--outcomes]] [--values 4,6,7]
# --outcomes: no assertion, so that SPIN explores the whole state space (every final total).
# --values: the adders' constants (fixed only; default 1..N).
import sys
n=int(sys.argv[1]); locked=sys.argv[2]=='locked'; rand=sys.argv[3]=='rand'
values=list(range(1,n+1))
if '--values' in sys.argv: values=[int(v) for v in sys.argv[sys.argv.index('--values')+1].split(',')]
out=['total = Value("i", 0)','lock = Lock()','','process Adder(n1):']
if locked:
    out+=['    with lock:','        total.value += n1']
else:
    out+=['    total.value += n1']
out+=['','main:']
if rand: out.append(f'    processes = [Adder(randint(1, 10)) for _ in range({n})]')
else: out.append('    processes = ['+', '.join(f'Adder({values[i]})' for i in range(n))+']')
out+=['    for p in processes:','        p.start()','    for p in processes:','        p.join()','    expected = 0','    for p in processes:','        expected += p.n1','    assert total.value == expected, "lost update"']
if '--pml' in sys.argv:
    out=['int total = 0;','byte done = 0;','bool lock = false;','int expected = 0;','proctype Adder(byte n) {','  int t;']
    if locked: out.append('  atomic { !lock -> lock = true };')
    out+=['  t = total;','  total = t + n;']
    if locked: out.append('  lock = false;')
    out+=['  done++','}','init {','  byte n;','  atomic {']
    for i in range(n):
        if rand: out.append('    if ' + ' '.join(f':: n = {k}' for k in range(1,11)) + ' fi;')
        else: out.append(f'    n = {values[i]};')
        out+=['    expected = expected + n;','    run Adder(n);']
    out+=['  };',f'  (done == {n});'] + ([] if '--outcomes' in sys.argv else ['  assert(total == expected)']) + ['}']
print('\n'.join(out))
