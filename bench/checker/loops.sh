#!/usr/bin/env bash
# critsec vs SPIN on the busy-wait locks of the course (Peterson, Dekker, the filter lock for
# N = 3, 4, 5) and on two livelocks, both measured in the same run, row by row.
# usage: bench/checker/loops.sh [critsec-binary] [rounds] [timeout-seconds]
#   critsec-binary: default build/critsec (build it first); rounds: default 3 (each time is the
#   best of that many rounds: the machine is shared and noisy); timeout: default 60 s per run.
# critsec: the whole `critsec check SPEC` (default engine; every property, progress included),
# wall time. SPIN 6.5.2, each time including spin -a and gcc, on the Promela twins in loops/
# (same algorithm, same atomicity; see loops/README.md):
#   safety  spin -a; gcc -O2 -DSAFETY; ./pan           assert (the total), mutual exclusion
#                                                      (ghost assert), invalid end states (deadlock)
#   ltl     spin -DLTL -a; gcc -O2; ./pan -a -f        ltl { <> finished } under weak fairness
#   np      spin -a; gcc -O2 -DNP; ./pan -l -f         non-progress cycles under weak fairness
# critsec/spin = critsec / (spin safety + spin ltl): SPIN needs both runs for what one
# `critsec check` decides. agree: critsec's safety (assert, lost update, deadlock, runtime error
# all PROVED, or one VIOLATED) against SPIN's safety, critsec's progress against ltl and np.
# A run that times out is not repeated. Without spin (apt-get install -y spin) its columns are skipped.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
specs=$(cd "$here/../../specs/coursework" && pwd)
critsec=$(realpath "${1:-build/critsec}")
rounds=${2:-3}
limit=${3:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
min() { echo "if ($1 < $2) $1 else $2" | bc; }

have_spin=1
if ! command -v spin >/dev/null || ! command -v gcc >/dev/null; then
  have_spin=0
  echo "spin (or gcc) is missing: SPIN columns skipped (install: apt-get install -y spin)"
fi

critsec_run() {  # spec -> "SAFETY PROGRESS seconds", best of $rounds
  local best="" out="" t0 t1
  for ((r = 0; r < rounds; r++)); do
    t0=$(now)
    out=$(timeout "$limit" "$critsec" check "$1" 2>&1)
    local rc=$?
    t1=$(now)
    local t=$(echo "$t1 - $t0" | bc)
    best=${best:-$t}; best=$(min "$best" "$t")
    [ $rc -eq 124 ] && { echo "TIMEOUT TIMEOUT $best"; return; }
  done
  local verdicts=$(echo "$out" | grep -E '^  [A-Z]+ +(assert|lost update|deadlock|runtime error|progress)')
  local safety=PROVED
  echo "$verdicts" | grep -v ' progress ' | grep -qv '^  PROVED' && safety=UNKNOWN
  echo "$verdicts" | grep -v ' progress ' | grep -q '^  VIOLATED' && safety=VIOLATED
  local progress=$(echo "$verdicts" | grep -E '^  [A-Z]+ +progress ' | awk '{print $1}')
  echo "$safety ${progress:--} $best"
}

spin_run() {  # model.pml mode(safety|ltl|np) -> "VERDICT seconds", best of $rounds
  local dir="$work/$2" spinflags="" ccflags="-O2 -DMEMLIM=4096" panflags="-m1000000" best="" v=""
  case $2 in
    safety) ccflags+=" -DSAFETY" ;;
    ltl) spinflags="-DLTL"; ccflags+=" -DNFAIR=3"; panflags+=" -a -f" ;;
    np) ccflags+=" -DNP -DNFAIR=3"; panflags+=" -l -f" ;;
  esac
  mkdir -p "$dir"
  for ((r = 0; r < rounds; r++)); do
    local t0=$(now) out=""
    if ! out=$(cd "$dir" && cp "$1" m.pml && spin $spinflags -a m.pml 2>&1 && gcc $ccflags -o pan pan.c 2>&1); then
      echo "ERROR 0"; return
    fi
    out=$(cd "$dir" && timeout "$limit" ./pan $panflags 2>&1)
    local rc=$? t1=$(now)
    local t=$(echo "$t1 - $t0" | bc)
    best=${best:-$t}; best=$(min "$best" "$t")
    if [ $rc -eq 124 ]; then v=TIMEOUT
    elif echo "$out" | grep -qE 'out of memory|MEMLIM bound|too many processes'; then v=OUT
    elif echo "$out" | grep -qE 'errors: [1-9]'; then
      # In ltl and np runs only a cycle is the liveness verdict; a failed assert is reported as such.
      v=VIOLATED
      [ "$2" != safety ] && ! echo "$out" | grep -qE 'pan:1: (acceptance|non-progress) cycle' && v=ASSERT
    elif echo "$out" | grep -q 'max search depth too small'; then v=INCOMPLETE
    elif echo "$out" | grep -q 'errors: 0'; then v=PROVED
    else v=ERROR; fi
    [ "$v" = TIMEOUT ] && break
  done
  echo "$v $best"
}

agree() {  # critsec-verdict spin-verdict -> ok | DISAGREE | ?
  case "$1/$2" in
    PROVED/PROVED | VIOLATED/VIOLATED) echo ok ;;
    PROVED/VIOLATED | VIOLATED/PROVED) echo DISAGREE ;;
    *) echo "?" ;;
  esac
}

echo "critsec $critsec; $(spin -V 2>/dev/null | head -1); best of $rounds rounds, ${limit} s limit per run"
echo "load average at start: $(load)"
printf "%-20s | %-8s %-8s %7s | %-8s %7s | %-8s %7s | %-8s %7s | %7s | %-14s | %s\n" \
  row "critsec" progress s "safety" s "ltl" s "np" s "c/spin" "agree s/ltl/np" "load"
rows="peterson:$specs/peterson.crit:peterson
dekker:$specs/dekker.crit:dekker
filter_lock N=3:$here/loops/filter_lock_3.crit:filter_lock_3
filter_lock N=4:$here/loops/filter_lock_4.crit:filter_lock_4
filter_lock N=5:$here/loops/filter_lock_5.crit:filter_lock_5
spin_never_released:$specs/spin_never_released.crit:spin_never_released
flags_livelock:$specs/flags_livelock.crit:flags_livelock"
while IFS=: read -r name spec model; do
  l=$(cut -d' ' -f1 /proc/loadavg)
  read cs cp ct <<< "$(critsec_run "$spec")"
  if [ $have_spin = 1 ]; then
    read ss st <<< "$(spin_run "$here/loops/$model.pml" safety)"
    read ls lt <<< "$(spin_run "$here/loops/$model.pml" ltl)"
    read ns nt <<< "$(spin_run "$here/loops/$model.pml" np)"
    ratio=$(echo "$ct / ($st + $lt)" | bc -l 2>/dev/null || echo 0)
    verdict="$(agree "$cs" "$ss")/$(agree "$cp" "$ls")/$(agree "$cp" "$ns")"
  else
    ss=- st=0 ls=- lt=0 ns=- nt=0 ratio=0 verdict=-
  fi
  printf "%-20s | %-8s %-8s %7.2f | %-8s %7.2f | %-8s %7.2f | %-8s %7.2f | %7.3f | %-14s | %s\n" \
    "$name" "$cs" "$cp" "$ct" "$ss" "$st" "$ls" "$lt" "$ns" "$nt" "$ratio" "$verdict" "$l"
done <<< "$rows"
echo "load average at end: $(load)"
