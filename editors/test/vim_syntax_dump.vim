" Writes the filetype, then the syntax group of every byte of the buffer
" ("line<TAB>col<TAB>group", byte columns), to the file $CRIT_SYNTAX_OUT.
" Used by vim_syntax_test.py.
let s:out = ['filetype ' . &filetype]
for s:l in range(1, line('$'))
  for s:c in range(1, len(getline(s:l)))
    call add(s:out, s:l . "\t" . s:c . "\t" . synIDattr(synID(s:l, s:c, 1), 'name'))
  endfor
endfor
call writefile(s:out, $CRIT_SYNTAX_OUT)
