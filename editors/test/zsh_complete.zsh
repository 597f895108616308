# Completes one command line in an interactive zsh, as a user's TAB does, and
# prints each match the completion system offered as <<match>> (compadd is
# wrapped to print what it adds). Used by completion_test.py.
# usage: zsh -f zsh_complete.zsh COMPLETION_DIR 'critsec check --eng'
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "PROMPT= ; RPROMPT= ; fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z 'compadd () {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  typeset -a __hits
  builtin compadd -A __hits "$@"
  local h; for h in $__hits; do print -r -- "<<$h>>"; done
  builtin compadd "$@"
}'
zpty -w z "zstyle ':completion:*' menu no; echo READY"
zpty -r z line '*READY*'
zpty -r z line '*READY*'
zpty -w -n z "$2"$'\t'
# Read until matches came and nothing more for half a second (10 s at most).
local out="" chunk
integer quiet=0 waited=0
while (( waited < 100 )); do
  if zpty -r -t z chunk; then
    out+=$chunk; quiet=0
  else
    sleep 0.1; (( quiet++, waited++ ))
    [[ $out == *'<<'* ]] && (( quiet >= 5 )) && break
  fi
done
print -r -- ${(F)${(M)${(f)out}:#*<<*>>*}}
zpty -d z
